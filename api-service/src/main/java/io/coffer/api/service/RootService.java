package io.coffer.api.service;

import io.coffer.api.auth.Caller;
import io.coffer.api.fault.CofferException;
import io.coffer.api.messaging.GuestApi;
import io.coffer.model.guest.EnableRootWithPasswordArgs;
import io.coffer.model.guest.GuestMethods;
import io.coffer.model.guest.UserModel;
import io.coffer.model.rpc.NoArgs;
import io.coffer.model.secret.Secret;
import io.coffer.persistence.entity.RootEnabledHistoryEntity;
import io.coffer.persistence.repository.RootEnabledHistoryRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;

/** The root (superuser) account of an instance. */
@ApplicationScoped
public class RootService {

  private final GuestAdmin admin;
  private final GuestApi guests;
  private final InstanceLoader loader;
  private final RootEnabledHistoryRepository history;
  private final Clock clock;

  RootService(
      GuestAdmin admin, InstanceLoader loader, RootEnabledHistoryRepository history, Clock clock) {
    this.admin = admin;
    this.guests = admin.guests();
    this.loader = loader;
    this.history = history;
    this.clock = clock;
  }

  /** Whether root has been enabled (and not disabled since). */
  @Transactional
  public boolean enabled(String projectId, String id) {
    loader.entity(projectId, id);
    return history.findByIdOptional(id).isPresent();
  }

  /**
   * Enables root with the given (or a generated) password; returns the root user. The guest is
   * called outside any transaction; the history is written once it answered.
   */
  public UserModel enable(Caller caller, String projectId, String id, Secret password) {
    admin.ready(projectId, id);
    UserModel root =
        password == null
            ? guests.call(caller.context(), id, GuestMethods.ENABLE_ROOT, NoArgs.INSTANCE)
            : guests.call(
                caller.context(),
                id,
                GuestMethods.ENABLE_ROOT_WITH_PASSWORD,
                new EnableRootWithPasswordArgs(password));
    QuarkusTransaction.requiringNew()
        .run(
            () -> {
              if (history.findByIdOptional(id).isEmpty()) {
                RootEnabledHistoryEntity h = new RootEnabledHistoryEntity();
                h.id = id;
                h.user = caller.userId();
                h.created = clock.instant();
                history.persist(h);
              }
            });
    return root;
  }

  /** Disables root (resets it to a random password); 404 when never enabled. */
  public void disable(Caller caller, String projectId, String id) {
    admin.ready(projectId, id);
    if (!QuarkusTransaction.requiringNew().call(() -> history.findByIdOptional(id).isPresent())) {
      throw CofferException.notFound("Root user has never been enabled on the instance.");
    }
    guests.call(caller.context(), id, GuestMethods.DISABLE_ROOT, NoArgs.INSTANCE);
    // Trove 18 keeps the history row, so GET root still says true after a disable; later Trove
    // releases delete it, and so does Coffer
    QuarkusTransaction.requiringNew().run(() -> history.deleteById(id));
  }

  /** The root history of an instance (mgmt): when and by whom root was first enabled. */
  @Transactional
  public RootEnabledHistoryEntity historyOf(String id) {
    return history.findById(id);
  }
}
