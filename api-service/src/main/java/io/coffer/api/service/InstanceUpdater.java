package io.coffer.api.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.coffer.api.auth.Caller;
import io.coffer.api.fault.CofferException;
import io.coffer.api.messaging.GuestApi;
import io.coffer.api.outbox.TaskOutbox;
import io.coffer.api.v1.model.Body;
import io.coffer.api.v1.model.CreateInstanceRequest;
import io.coffer.model.common.AccessInfo;
import io.coffer.model.guest.ApplyOverridesArgs;
import io.coffer.model.guest.GuestMethods;
import io.coffer.model.guest.UpdateOverridesArgs;
import io.coffer.model.status.InstanceTask;
import io.coffer.model.taskmanager.InstanceArgs;
import io.coffer.model.taskmanager.TaskManagerMethods;
import io.coffer.model.taskmanager.UpdateAccessArgs;
import io.coffer.model.taskmanager.UpgradeArgs;
import io.coffer.persistence.entity.ConfigurationEntity;
import io.coffer.persistence.entity.DatastoreVersionEntity;
import io.coffer.persistence.entity.InstanceEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code PUT/PATCH instances/{id}}: rename, detach from the replica source, attach or detach a
 * configuration group, upgrade the datastore version, change access. At most one attribute other
 * than the name per request, as in Trove.
 */
@ApplicationScoped
public class InstanceUpdater {

  private final InstanceLoader loader;
  private final ConfigurationService configurations;
  private final GuestApi guests;
  private final TaskOutbox tasks;
  private final Resolver resolve;

  InstanceUpdater(
      InstanceLoader loader,
      ConfigurationService configurations,
      GuestApi guests,
      TaskOutbox tasks,
      Resolver resolve) {
    this.loader = loader;
    this.configurations = configurations;
    this.guests = guests;
    this.tasks = tasks;
    this.resolve = resolve;
  }

  /** Applies an update; {@code patch} selects PATCH's narrower schema (no access). */
  @Transactional
  public void update(Caller caller, String projectId, String id, JsonNode json, boolean patch) {
    Body b = Body.root(json, "instance");
    if (patch) {
      b.only("name", "replica_of", "slave_of", "configuration", "datastore_version");
    } else {
      b.only("name", "replica_of", "slave_of", "configuration", "datastore_version", "access");
    }
    String name = b.optionalString("name", 255);
    List<String> others = new ArrayList<>(b.keys());
    others.remove("name");
    if (others.size() > 1) {
      throw CofferException.badRequest("Only one attribute (except 'name') is allowed to update.");
    }
    InstanceSnapshot s = loader.one(projectId, id);
    Instant now = resolve.clock().instant();
    if (name != null) {
      s.instance().name = name;
      s.instance().updated = now;
    }
    if (others.isEmpty()) {
      return;
    }
    switch (others.get(0)) {
      case "replica_of", "slave_of" -> detach(caller, s, now);
      case "configuration" -> {
        if (b.hasValue("configuration")) {
          attach(caller, projectId, s, b.requiredRef("configuration"), now);
        } else {
          detachConfiguration(caller, s, now);
        }
      }
      case "datastore_version" ->
          upgrade(caller, s, b.requiredString("datastore_version", 255), now);
      default -> access(caller, s, b.requiredObject("access"), now);
    }
  }

  private void detach(Caller caller, InstanceSnapshot s, Instant now) {
    String blocking = s.blockingStatus();
    if (blocking != null) {
      throw Actions.notAvailable(s.instance().id, blocking);
    }
    if (s.instance().slaveOfId == null) {
      throw CofferException.badRequest("Instance " + s.instance().id + " is not a replica.");
    }
    s.instance().setTask(InstanceTask.DETACHING, now, now.plus(resolve.config().taskTimeout()));
    tasks.cast(
        TaskManagerMethods.DETACH_REPLICA, caller.context(), new InstanceArgs(s.instance().id));
  }

  private void requireIdle(InstanceSnapshot s) {
    if (s.task() != InstanceTask.NONE || !"ACTIVE".equals(s.serverStatus())) {
      throw Actions.invalidState(s.instance().id, s.status());
    }
  }

  private void attach(
      Caller caller, String projectId, InstanceSnapshot s, String configId, Instant now) {
    requireIdle(s);
    InstanceEntity i = s.instance();
    if (i.configurationId != null) {
      throw CofferException.badRequest(
          "Instance "
              + i.id
              + " already has a Configuration Group attached: "
              + i.configurationId
              + ".");
    }
    Map<String, Object> overrides = configurations.overridesFor(projectId, configId, s.version());
    guests.call(
        caller.context(),
        i.id,
        GuestMethods.UPDATE_OVERRIDES,
        new UpdateOverridesArgs(overrides, false));
    i.configurationId = configId;
    if (configurations.rulesOf(s.version()).restartRequired(overrides.keySet())) {
      i.setTask(InstanceTask.RESTART_REQUIRED, now, null);
    } else {
      guests.call(
          caller.context(), i.id, GuestMethods.APPLY_OVERRIDES, new ApplyOverridesArgs(overrides));
      i.updated = now;
    }
  }

  private void detachConfiguration(Caller caller, InstanceSnapshot s, Instant now) {
    requireIdle(s);
    InstanceEntity i = s.instance();
    if (i.configurationId == null) {
      return;
    }
    ConfigurationEntity c = configurations.group(i.tenantId, i.configurationId);
    Map<String, Object> removed = configurations.values(c);
    guests.call(
        caller.context(),
        i.id,
        GuestMethods.UPDATE_OVERRIDES,
        new UpdateOverridesArgs(Map.of(), true));
    i.configurationId = null;
    if (configurations.rulesOf(s.version()).restartRequired(removed.keySet())) {
      i.setTask(InstanceTask.RESTART_REQUIRED, now, null);
    } else {
      // the guest reloads its configuration without the group's values: the defaults are back
      guests.call(
          caller.context(), i.id, GuestMethods.APPLY_OVERRIDES, new ApplyOverridesArgs(Map.of()));
      i.updated = now;
    }
  }

  private void upgrade(Caller caller, InstanceSnapshot s, String version, Instant now) {
    DatastoreVersionEntity target = resolve.datastores().version(s.datastore(), version);
    if (target.id.equals(s.instance().datastoreVersionId)) {
      return;
    }
    if (!target.active) {
      throw CofferException.badRequest("Datastore version '" + version + "' is not active.");
    }
    s.instance().datastoreVersionId = target.id;
    s.instance().setTask(InstanceTask.UPGRADING, now, now.plus(resolve.config().taskTimeout()));
    tasks.cast(
        TaskManagerMethods.UPGRADE, caller.context(), new UpgradeArgs(s.instance().id, target.id));
  }

  private void access(Caller caller, InstanceSnapshot s, Body access, Instant now) {
    AccessInfo info = CreateInstanceRequest.access(access);
    s.instance().access =
        "{\"is_public\": "
            + info.isPublic()
            + ", \"allowed_cidrs\": "
            + jsonList(info.allowedCidrs())
            + "}";
    s.instance().setTask(InstanceTask.UPDATING, now, now.plus(resolve.config().taskTimeout()));
    tasks.cast(
        TaskManagerMethods.UPDATE_ACCESS,
        caller.context(),
        new UpdateAccessArgs(s.instance().id, info));
  }

  private static String jsonList(List<String> items) {
    List<String> quoted = new ArrayList<>();
    items.forEach(i -> quoted.add("\"" + i.replace("\"", "") + "\""));
    return "[" + String.join(", ", quoted) + "]";
  }
}
