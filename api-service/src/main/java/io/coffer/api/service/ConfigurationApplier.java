package io.coffer.api.service;

import io.coffer.api.auth.Caller;
import io.coffer.api.messaging.GuestApi;
import io.coffer.model.guest.ApplyOverridesArgs;
import io.coffer.model.guest.GuestMethods;
import io.coffer.model.guest.UpdateOverridesArgs;
import io.coffer.model.status.InstanceTask;
import io.coffer.persistence.entity.ConfigurationEntity;
import io.coffer.persistence.entity.InstanceEntity;
import io.coffer.persistence.repository.InstanceRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Map;

/**
 * Pushes a changed configuration group to the instances using it: the guest writes the new values
 * and applies them live, or, when a changed parameter needs a restart, the instance goes to
 * RESTART_REQUIRED until it is restarted.
 */
@ApplicationScoped
public class ConfigurationApplier {

  private final InstanceRepository instances;
  private final ConfigurationService configurations;
  private final GuestApi guests;
  private final DatastoreService datastores;
  private final java.time.Clock clock;

  ConfigurationApplier(
      InstanceRepository instances,
      ConfigurationService configurations,
      GuestApi guests,
      DatastoreService datastores,
      java.time.Clock clock) {
    this.instances = instances;
    this.configurations = configurations;
    this.guests = guests;
    this.datastores = datastores;
    this.clock = clock;
  }

  /** Live instances using a group. */
  public List<InstanceEntity> instancesOf(String configurationId) {
    return instances.usingConfiguration(configurationId);
  }

  /** Re-applies a group whose {@code changed} parameters changed to every instance using it. */
  @Transactional
  public void reapply(Caller caller, String configurationId, List<String> changed) {
    if (changed.isEmpty()) {
      return;
    }
    ConfigurationEntity c = configurations.group(null, configurationId);
    Map<String, Object> values = configurations.values(c);
    boolean restart =
        configurations
            .rulesOf(datastores.versionById(c.datastoreVersionId))
            .restartRequired(changed);
    for (InstanceEntity i : instancesOf(configurationId)) {
      guests.call(
          caller.context(),
          i.id,
          GuestMethods.UPDATE_OVERRIDES,
          new UpdateOverridesArgs(values, false));
      if (restart) {
        if (i.task() == InstanceTask.NONE) {
          i.setTask(InstanceTask.RESTART_REQUIRED, clock.instant(), null);
        }
      } else {
        guests.call(
            caller.context(), i.id, GuestMethods.APPLY_OVERRIDES, new ApplyOverridesArgs(values));
      }
    }
  }
}
