package io.coffer.api.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.coffer.api.auth.Caller;
import io.coffer.api.fault.CofferException;
import io.coffer.api.notify.DbaasEvents;
import io.coffer.api.outbox.TaskOutbox;
import io.coffer.api.v1.model.Body;
import io.coffer.model.common.FlavorInfo;
import io.coffer.model.status.BackupState;
import io.coffer.model.status.InstanceStatusRules;
import io.coffer.model.status.InstanceTask;
import io.coffer.model.status.ServiceStatus;
import io.coffer.model.taskmanager.InstanceArgs;
import io.coffer.model.taskmanager.ResizeFlavorArgs;
import io.coffer.model.taskmanager.ResizeVolumeArgs;
import io.coffer.model.taskmanager.TaskManagerMethods;
import io.coffer.persistence.entity.BackupEntity;
import io.coffer.persistence.entity.FlavorEntity;
import io.coffer.persistence.entity.InstanceEntity;
import io.coffer.persistence.repository.InstanceRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code POST instances/{id}/action}: exactly one of restart, resize (flavor or volume),
 * promote_to_replica_source, eject_replica_source, reset_status. Each records Trove's task and
 * queues the work for the taskmanager in one transaction.
 */
@ApplicationScoped
public class InstanceActions {

  /** The action keys Coffer handles. */
  public static final List<String> KEYS =
      List.of(
          "restart", "resize", "promote_to_replica_source", "eject_replica_source", "reset_status");

  private final InstanceLoader loader;
  private final InstanceRepository instances;
  private final QuotaService quotas;
  private final TaskOutbox tasks;
  private final Resolver resolve;

  private final DbaasEvents events;

  InstanceActions(
      InstanceLoader loader,
      InstanceRepository instances,
      QuotaService quotas,
      TaskOutbox tasks,
      Resolver resolve,
      DbaasEvents events) {
    this.events = events;
    this.loader = loader;
    this.instances = instances;
    this.quotas = quotas;
    this.tasks = tasks;
    this.resolve = resolve;
  }

  /** Runs the action named by the body's single key. */
  @Transactional
  public void perform(Caller caller, String projectId, String id, JsonNode body) {
    if (body == null || !body.isObject() || body.isEmpty()) {
      throw CofferException.badRequest("The action body must name exactly one action.");
    }
    if (body.size() != 1) {
      throw CofferException.badRequest("Only one action may be performed at a time.");
    }
    String key = body.fieldNames().next();
    // as in Trove, a malformed body is refused before the instance is looked up
    Resize resize = key.equals("resize") ? Resize.parse(Body.root(body, "resize")) : null;
    InstanceSnapshot s = loader.one(projectId, id);
    // Trove answers an unknown action with a 500; it is the caller's mistake
    switch (key) {
      case "restart" -> restart(caller, s);
      case "resize" -> resize(caller, projectId, s, resize);
      case "promote_to_replica_source" -> promote(caller, s);
      case "eject_replica_source" -> eject(caller, s);
      case "reset_status" -> resetStatus(caller, s, body.get("reset_status"));
      default ->
          throw CofferException.badRequest(
              "Invalid instance action: "
                  + key
                  + ". Valid actions are "
                  + String.join(", ", KEYS)
                  + ".");
    }
  }

  private void requireActionable(InstanceSnapshot s) {
    String blocking = s.blockingStatus();
    if (blocking != null) {
      throw Actions.notAvailable(s.instance().id, blocking);
    }
  }

  private Instant deadline(Instant now) {
    return now.plus(resolve.config().taskTimeout());
  }

  private void restart(Caller caller, InstanceSnapshot s) {
    events.start("instance_restart", Map.of("instance_id", s.instance().id));
    requireActionable(s);
    Instant now = resolve.clock().instant();
    s.instance().setTask(InstanceTask.REBOOTING, now, deadline(now));
    events.handOff(s.instance().id, InstanceTask.REBOOTING);
    if (s.service() != null) {
      s.service().setStatus(ServiceStatus.RESTARTING, now);
    }
    tasks.cast(TaskManagerMethods.RESTART, caller.context(), new InstanceArgs(s.instance().id));
  }

  /** A resize's arguments: a flavor or a volume size. */
  private record Resize(String flavorRef, Integer volumeSize) {
    static Resize parse(Body resize) {
      boolean flavor = resize.has("flavorRef");
      boolean volume = resize.has("volume");
      if (flavor && volume) {
        throw CofferException.badRequest(
            "Not allowed to resize volume and flavor at the same time.");
      }
      if (flavor) {
        return new Resize(resize.requiredRef("flavorRef"), null);
      }
      if (volume) {
        return new Resize(
            null, resize.requiredObject("volume").requiredInt("size", 1, Integer.MAX_VALUE));
      }
      throw CofferException.badRequest("Missing resize arguments: give flavorRef or volume.");
    }
  }

  private void resize(Caller caller, String projectId, InstanceSnapshot s, Resize resize) {
    if (resize.flavorRef() != null) {
      resizeFlavor(caller, projectId, s, resize.flavorRef());
    } else {
      resizeVolume(caller, projectId, s, resize.volumeSize());
    }
  }

  private void resizeFlavor(Caller caller, String projectId, InstanceSnapshot s, String flavorRef) {
    events.start(
        "instance_resize_instance",
        Map.of("instance_id", s.instance().id, "new_flavor_id", flavorRef));
    requireActionable(s);
    InstanceEntity i = s.instance();
    if (flavorRef.equals(i.flavorId)) {
      throw CofferException.badRequest(
          "The new flavor id must be different than the current flavor id of '"
              + i.flavorId
              + "'.");
    }
    FlavorEntity next = resolve.flavors().requested(flavorRef);
    FlavorEntity current = resolve.flavors().find(i.flavorId).orElse(null);
    quotas.charge(projectId, Map.of("ram", next.ram - (current == null ? 0 : current.ram)));
    Instant now = resolve.clock().instant();
    i.setTask(InstanceTask.RESIZING, now, deadline(now));
    events.handOff(i.id, InstanceTask.RESIZING);
    tasks.cast(
        TaskManagerMethods.RESIZE_FLAVOR,
        caller.context(),
        new ResizeFlavorArgs(i.id, info(current, i.flavorId), info(next, next.id)));
  }

  private static FlavorInfo info(FlavorEntity f, String id) {
    return f == null
        ? new FlavorInfo(id, null, null, null, null, null, null)
        : new FlavorInfo(f.id, f.name, f.ram, f.vcpus, f.disk, f.ephemeral, f.swap);
  }

  private void resizeVolume(Caller caller, String projectId, InstanceSnapshot s, int size) {
    InstanceEntity i = s.instance();
    events.start("instance_resize_volume", Map.of("instance_id", i.id, "new_size", size));
    if (i.volumeSize == null) {
      throw CofferException.badRequest("Instance " + i.id + " has no volume.");
    }
    if (size <= i.volumeSize) {
      throw CofferException.badRequest(
          "The new volume 'size' must be larger than the current volume size of '"
              + i.volumeSize
              + "'.");
    }
    if (size > resolve.config().maxVolumeSize()) {
      throw CofferException.overLimit(
          "Volume 'size' cannot exceed maximum of "
              + resolve.config().maxVolumeSize()
              + " GB, "
              + size
              + " cannot be accepted.");
    }
    requireActionable(s);
    // a source's replicas grow with it
    List<InstanceSnapshot> all = new ArrayList<>(List.of(s));
    all.addAll(loader.load(instances.replicasOf(i.id), false));
    int delta = 0;
    for (InstanceSnapshot member : all) {
      requireActionable(member);
      delta += size - (member.instance().volumeSize == null ? 0 : member.instance().volumeSize);
    }
    quotas.charge(projectId, Map.of("volumes", delta));
    Instant now = resolve.clock().instant();
    events.handOff(i.id, InstanceTask.RESIZING);
    for (InstanceSnapshot member : all) {
      member.instance().setTask(InstanceTask.RESIZING, now, deadline(now));
      tasks.cast(
          TaskManagerMethods.RESIZE_VOLUME,
          caller.context(),
          new ResizeVolumeArgs(size, member.instance().id));
    }
  }

  private void promote(Caller caller, InstanceSnapshot s) {
    events.start("instance_promote", Map.of("instance_id", s.instance().id));
    requireActionable(s);
    InstanceEntity i = s.instance();
    if (i.slaveOfId == null) {
      throw CofferException.badRequest("Instance " + i.id + " is not a replica.");
    }
    Instant now = resolve.clock().instant();
    for (InstanceEntity member : replicaSet(i.slaveOfId)) {
      member.setTask(InstanceTask.PROMOTING, now, deadline(now));
    }
    events.handOff(i.id, InstanceTask.PROMOTING);
    tasks.cast(
        TaskManagerMethods.PROMOTE_TO_REPLICA_SOURCE, caller.context(), new InstanceArgs(i.id));
  }

  private void eject(Caller caller, InstanceSnapshot s) {
    InstanceEntity i = s.instance();
    events.start("instance_eject", Map.of("instance_id", i.id));
    if (s.replicaIds().isEmpty()) {
      throw CofferException.badRequest("Instance " + i.id + " is not a replica source.");
    }
    if (!InstanceStatusRules.isSilent(
        s.service() == null ? null : s.service().updatedAt, s.now(), s.expiry())) {
      throw CofferException.badRequest(
          "Replica Source " + i.id + " cannot be ejected as it has a current heartbeat");
    }
    Instant now = resolve.clock().instant();
    for (InstanceEntity member : replicaSet(i.id)) {
      member.setTask(InstanceTask.EJECTING, now, deadline(now));
    }
    events.handOff(i.id, InstanceTask.EJECTING);
    tasks.cast(TaskManagerMethods.EJECT_REPLICA_SOURCE, caller.context(), new InstanceArgs(i.id));
  }

  private List<InstanceEntity> replicaSet(String sourceId) {
    List<InstanceEntity> members = new ArrayList<>();
    instances.live(sourceId).ifPresent(members::add);
    members.addAll(instances.replicasOf(sourceId));
    return members;
  }

  private void resetStatus(Caller caller, InstanceSnapshot s, JsonNode args) {
    events.start("instance_reset_status", Map.of("instance_id", s.instance().id));
    boolean forceDelete = args != null && args.path("force_delete").asBoolean(false);
    // troveclient's "force delete" sends a plain reset_status: an owner may reset an instance that
    // is stuck building or failed, which is all a force delete needs; anything else is for admins
    boolean stuck = s.task() == InstanceTask.BUILDING || "ERROR".equals(s.status());
    if (!forceDelete && !stuck && !caller.admin()) {
      throw CofferException.forbidden(
          "Policy doesn't allow instance:reset_status to be performed.");
    }
    Instant now = resolve.clock().instant();
    resetTask(s.instance(), now);
    if (s.service() != null) {
      s.service().setStatus(ServiceStatus.UNKNOWN, now);
    }
  }

  /** Clears the task and fails running backups ({@code reset_status}, mgmt reset-task-status). */
  public void resetTask(InstanceEntity i, Instant now) {
    if (i.task() != InstanceTask.NONE) {
      events.abandoned(i.id, "The instance's status was reset before its task ended.");
    }
    i.setTask(InstanceTask.NONE, now, null);
    for (BackupEntity b : resolve.backups().listRunningOf(i.id)) {
      b.state = BackupState.FAILED.name();
      b.failReason = "The instance's status was reset while the backup was running.";
      b.updated = now;
    }
  }
}
