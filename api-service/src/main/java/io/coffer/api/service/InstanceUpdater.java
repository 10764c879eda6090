package io.coffer.api.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.coffer.api.auth.Caller;
import io.coffer.api.fault.CofferException;
import io.coffer.api.notify.DbaasEvents;
import io.coffer.api.outbox.TaskOutbox;
import io.coffer.api.v1.model.Body;
import io.coffer.api.v1.model.CreateInstanceRequest;
import io.coffer.model.common.AccessInfo;
import io.coffer.model.status.InstanceTask;
import io.coffer.model.taskmanager.InstanceArgs;
import io.coffer.model.taskmanager.TaskManagerMethods;
import io.coffer.model.taskmanager.UpdateAccessArgs;
import io.coffer.persistence.entity.DatastoreVersionEntity;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code PUT/PATCH instances/{id}}: rename, detach from the replica source, attach or detach a
 * configuration group, change access. At most one attribute other than the name per request, as in
 * Trove. The decision is one transaction; guest calls (configuration groups) run after it commits,
 * so no transaction or pooled connection waits on a guest.
 */
@ApplicationScoped
public class InstanceUpdater {

  private final InstanceLoader loader;
  private final ConfigurationAttachments attachments;
  private final TaskOutbox tasks;
  private final Resolver resolve;

  private final DbaasEvents events;

  InstanceUpdater(
      InstanceLoader loader,
      ConfigurationAttachments attachments,
      TaskOutbox tasks,
      Resolver resolve,
      DbaasEvents events) {
    this.events = events;
    this.loader = loader;
    this.attachments = attachments;
    this.tasks = tasks;
    this.resolve = resolve;
  }

  /** Applies an update; {@code patch} selects PATCH's narrower schema (no access). */
  public void update(Caller caller, String projectId, String id, JsonNode json, boolean patch) {
    ConfigurationAttachments.GuestWork work =
        QuarkusTransaction.requiringNew().call(() -> decide(caller, projectId, id, json, patch));
    if (work != null) {
      attachments.carryOut(caller.context(), work);
    }
  }

  private ConfigurationAttachments.GuestWork decide(
      Caller caller, String projectId, String id, JsonNode json, boolean patch) {
    Body b = Body.root(json, "instance");
    if (patch) {
      b.only(
          "name", "replica_of", "slave_of", "configuration", "datastore_version", "auto_failover");
    } else {
      b.only(
          "name",
          "replica_of",
          "slave_of",
          "configuration",
          "datastore_version",
          "access",
          "auto_failover");
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
      return null;
    }
    switch (others.get(0)) {
      case "replica_of", "slave_of" -> detach(caller, s, now);
      case "configuration" -> {
        if (b.hasValue("configuration")) {
          events.start(
              "instance_attach_configuration",
              Map.of("instance_id", id, "configuration_id", b.requiredRef("configuration")));
        } else {
          events.start("instance_detach_configuration", Map.of("instance_id", id));
        }
        requireIdle(s);
        return b.hasValue("configuration")
            ? attachments.attach(projectId, s, b.requiredRef("configuration"))
            : attachments.detach(s);
      }
      case "datastore_version" -> upgrade(s, b.requiredString("datastore_version", 255));
      case "auto_failover" -> {
        // Coffer: the instance's automatic failover choice; null returns to the default
        s.instance().autoFailover = b.optionalBoolean("auto_failover");
        s.instance().updated = now;
      }
      default -> access(caller, s, b.requiredObject("access"), now);
    }
    return null;
  }

  private void detach(Caller caller, InstanceSnapshot s, Instant now) {
    events.start("instance_detach", Map.of("instance_id", s.instance().id));
    String blocking = s.blockingStatus();
    if (blocking != null) {
      throw Actions.notAvailable(s.instance().id, blocking);
    }
    if (s.instance().slaveOfId == null) {
      throw CofferException.badRequest("Instance " + s.instance().id + " is not a replica.");
    }
    s.instance().setTask(InstanceTask.DETACHING, now, now.plus(resolve.config().taskTimeout()));
    events.handOff(s.instance().id, InstanceTask.DETACHING);
    tasks.cast(
        TaskManagerMethods.DETACH_REPLICA, caller.context(), new InstanceArgs(s.instance().id));
  }

  private void requireIdle(InstanceSnapshot s) {
    if (s.task() != InstanceTask.NONE || !"ACTIVE".equals(s.serverStatus())) {
      throw Actions.invalidState(s.instance().id, s.status());
    }
  }

  /**
   * Datastore upgrades are refused up front: no compute driver can yet move a server onto another
   * version's binaries or image while keeping its data, and accepting the request would only end
   * the instance in ERROR. Naming the version it already runs is a no-op, as in Trove.
   */
  private void upgrade(InstanceSnapshot s, String version) {
    DatastoreVersionEntity target = resolve.datastores().version(s.datastore(), version);
    if (target.id.equals(s.instance().datastoreVersionId)) {
      return;
    }
    throw CofferException.badRequest(
        "Upgrading instance "
            + s.instance().id
            + " to datastore version '"
            + version
            + "' is not supported: Coffer cannot move a running instance onto another"
            + " datastore version while keeping its data. Restore a backup into a new instance of"
            + " that version instead.");
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
