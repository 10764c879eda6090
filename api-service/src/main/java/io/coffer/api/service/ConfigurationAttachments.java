package io.coffer.api.service;

import io.coffer.api.fault.CofferException;
import io.coffer.api.messaging.GuestApi;
import io.coffer.model.guest.ApplyOverridesArgs;
import io.coffer.model.guest.GuestMethods;
import io.coffer.model.guest.UpdateOverridesArgs;
import io.coffer.model.rpc.RequestContext;
import io.coffer.model.status.InstanceTask;
import io.coffer.persistence.entity.ConfigurationEntity;
import io.coffer.persistence.entity.InstanceEntity;
import io.coffer.persistence.repository.InstanceRepository;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.Map;

/**
 * Attaching a configuration group to an instance and detaching it, in three steps so that no
 * database transaction waits on the guest: the decision is committed first (the instance claims its
 * new group with a conditional update, so two concurrent requests cannot both win), then the guest
 * writes and applies the values, then the outcome is recorded (RESTART_REQUIRED when a value needs
 * a restart). A guest that fails gets its previous values back and the claim is undone.
 */
@ApplicationScoped
public class ConfigurationAttachments {

  /**
   * What the guest does once the decision is committed.
   *
   * @param instanceId the instance
   * @param claimed the group now attached ({@code null} after a detach)
   * @param previous the group attached before ({@code null} before an attach)
   * @param overrides the values the guest writes
   * @param previousOverrides the values the guest had before
   * @param restart whether the change takes effect only after a restart
   */
  public record GuestWork(
      String instanceId,
      String claimed,
      String previous,
      Map<String, Object> overrides,
      Map<String, Object> previousOverrides,
      boolean restart) {}

  private final ConfigurationService configurations;
  private final GuestApi guests;
  private final InstanceRepository instances;
  private final Clock clock;

  ConfigurationAttachments(
      ConfigurationService configurations,
      GuestApi guests,
      InstanceRepository instances,
      Clock clock) {
    this.configurations = configurations;
    this.guests = guests;
    this.instances = instances;
    this.clock = clock;
  }

  /** Claims {@code configId} for the instance; runs in the request's decision transaction. */
  @Transactional(Transactional.TxType.MANDATORY)
  public GuestWork attach(String projectId, InstanceSnapshot s, String configId) {
    InstanceEntity i = s.instance();
    Map<String, Object> overrides = configurations.overridesFor(projectId, configId, s.version());
    int claimed =
        instances.update(
            "configurationId = ?1, updated = ?2 where id = ?3 and configurationId is null"
                + " and deleted = false",
            configId,
            clock.instant(),
            i.id);
    if (claimed == 0 || i.configurationId != null) {
      throw CofferException.badRequest(
          "Instance "
              + i.id
              + " already has a Configuration Group attached: "
              + (i.configurationId != null ? i.configurationId : attachedGroup(i.id))
              + ".");
    }
    boolean restart = configurations.rulesOf(s.version()).restartRequired(overrides.keySet());
    return new GuestWork(i.id, configId, null, overrides, Map.of(), restart);
  }

  /** Releases the instance's group; {@code null} when none is attached. */
  @Transactional(Transactional.TxType.MANDATORY)
  public GuestWork detach(InstanceSnapshot s) {
    InstanceEntity i = s.instance();
    if (i.configurationId == null) {
      return null;
    }
    ConfigurationEntity c = configurations.group(i.tenantId, i.configurationId);
    Map<String, Object> removed = configurations.values(c);
    int released =
        instances.update(
            "configurationId = null, updated = ?1 where id = ?2 and configurationId = ?3",
            clock.instant(),
            i.id,
            i.configurationId);
    if (released == 0) {
      return null;
    }
    boolean restart = configurations.rulesOf(s.version()).restartRequired(removed.keySet());
    return new GuestWork(i.id, null, i.configurationId, Map.of(), removed, restart);
  }

  /**
   * Has the guest write (and, for dynamic values, apply) the committed change, then records a
   * needed restart. Must run outside any transaction.
   */
  public void carryOut(RequestContext context, GuestWork w) {
    try {
      guests.call(
          context,
          w.instanceId(),
          GuestMethods.UPDATE_OVERRIDES,
          new UpdateOverridesArgs(w.overrides(), w.overrides().isEmpty()));
      if (!w.restart()) {
        // the guest reloads its configuration: the new values, or the defaults after a detach
        guests.call(
            context,
            w.instanceId(),
            GuestMethods.APPLY_OVERRIDES,
            new ApplyOverridesArgs(w.overrides()));
      }
    } catch (RuntimeException e) {
      undo(context, w);
      throw e;
    }
    if (w.restart()) {
      QuarkusTransaction.requiringNew().run(() -> restartRequired(w.instanceId()));
    }
  }

  private void undo(RequestContext context, GuestWork w) {
    try {
      guests.call(
          context,
          w.instanceId(),
          GuestMethods.UPDATE_OVERRIDES,
          new UpdateOverridesArgs(w.previousOverrides(), w.previousOverrides().isEmpty()));
    } catch (RuntimeException e) {
      Log.warnf(
          "instance %s: previous configuration values not restored on the guest: %s",
          w.instanceId(), e.getMessage());
    }
    QuarkusTransaction.requiringNew()
        .run(
            () ->
                instances.update(
                    "configurationId = ?1, updated = ?2 where id = ?3 and "
                        + (w.claimed() == null
                            ? "configurationId is null"
                            : "configurationId = ?4"),
                    w.claimed() == null
                        ? new Object[] {w.previous(), clock.instant(), w.instanceId()}
                        : new Object[] {
                          w.previous(), clock.instant(), w.instanceId(), w.claimed()
                        }));
  }

  /** Sets RESTART_REQUIRED on an instance that has no other task. */
  void restartRequired(String instanceId) {
    instances.update(
        "taskId = ?1, taskDescription = ?2, taskStartTime = ?3, taskDeadline = null, updated = ?3"
            + " where id = ?4 and taskId = ?5 and deleted = false",
        InstanceTask.RESTART_REQUIRED.code(),
        InstanceTask.RESTART_REQUIRED.dbText(),
        clock.instant(),
        instanceId,
        InstanceTask.NONE.code());
  }

  private String attachedGroup(String instanceId) {
    return instances
        .getEntityManager()
        .createQuery("select i.configurationId from InstanceEntity i where i.id = ?1", String.class)
        .setParameter(1, instanceId)
        .getSingleResult();
  }
}
