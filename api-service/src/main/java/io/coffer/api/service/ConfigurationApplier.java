package io.coffer.api.service;

import io.coffer.api.auth.Caller;
import io.coffer.api.fault.CofferException;
import io.coffer.api.messaging.GuestApi;
import io.coffer.model.guest.ApplyOverridesArgs;
import io.coffer.model.guest.GuestMethods;
import io.coffer.model.guest.UpdateOverridesArgs;
import io.coffer.persistence.entity.ConfigurationEntity;
import io.coffer.persistence.entity.InstanceEntity;
import io.coffer.persistence.repository.InstanceRepository;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Pushes a changed configuration group to the instances using it: the guest writes the new values
 * and applies them live, or, when a changed parameter needs a restart, the instance goes to
 * RESTART_REQUIRED until it is restarted. The guests are called after the change committed and
 * outside any transaction; one unreachable guest does not keep the others from the new values.
 */
@ApplicationScoped
public class ConfigurationApplier {

  private record Push(List<String> instanceIds, Map<String, Object> values, boolean restart) {}

  private final InstanceRepository instances;
  private final ConfigurationService configurations;
  private final GuestApi guests;
  private final DatastoreService datastores;
  private final ConfigurationAttachments attachments;

  ConfigurationApplier(
      InstanceRepository instances,
      ConfigurationService configurations,
      GuestApi guests,
      DatastoreService datastores,
      ConfigurationAttachments attachments) {
    this.instances = instances;
    this.configurations = configurations;
    this.guests = guests;
    this.datastores = datastores;
    this.attachments = attachments;
  }

  /** Live instances using a group. */
  public List<InstanceEntity> instancesOf(String configurationId) {
    return instances.usingConfiguration(configurationId);
  }

  /** Re-applies a group whose {@code changed} parameters changed to every instance using it. */
  public void reapply(Caller caller, String configurationId, List<String> changed) {
    if (changed.isEmpty()) {
      return;
    }
    Push push =
        QuarkusTransaction.requiringNew()
            .call(
                () -> {
                  ConfigurationEntity c = configurations.group(null, configurationId);
                  return new Push(
                      instancesOf(configurationId).stream().map(i -> i.id).toList(),
                      configurations.values(c),
                      configurations
                          .rulesOf(datastores.versionById(c.datastoreVersionId))
                          .restartRequired(changed));
                });
    List<String> failed = new ArrayList<>();
    CofferException first = null;
    for (String id : push.instanceIds()) {
      try {
        guests.call(
            caller.context(),
            id,
            GuestMethods.UPDATE_OVERRIDES,
            new UpdateOverridesArgs(push.values(), false));
        if (push.restart()) {
          QuarkusTransaction.requiringNew().run(() -> attachments.restartRequired(id));
        } else {
          guests.call(
              caller.context(),
              id,
              GuestMethods.APPLY_OVERRIDES,
              new ApplyOverridesArgs(push.values()));
        }
      } catch (CofferException e) {
        Log.warnf(
            "instance %s: changed configuration %s not applied: %s",
            id, configurationId, e.getMessage());
        failed.add(id);
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw CofferException.badRequest(
          "The configuration group was saved, but instance(s) "
              + String.join(", ", failed)
              + " did not take the new values: "
              + first.getMessage());
    }
  }
}
