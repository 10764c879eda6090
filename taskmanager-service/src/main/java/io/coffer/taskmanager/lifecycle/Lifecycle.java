package io.coffer.taskmanager.lifecycle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.coffer.model.status.InstanceTask;
import io.coffer.model.status.ServiceStatus;
import io.coffer.persistence.entity.InstanceEntity;
import io.coffer.persistence.repository.InstanceFaultRepository;
import io.coffer.persistence.repository.InstanceRepository;
import io.coffer.persistence.repository.ServiceStatusRepository;
import io.coffer.taskmanager.compute.Server;
import io.coffer.taskmanager.notify.ApiEvents;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The taskmanager's writes of instance state, each in its own short transaction so that slow work
 * (servers, guest calls) never holds a database transaction open. Task changes are conditional on
 * the task still being the expected one, so a late handler cannot undo a reset or a deadline that
 * fired meanwhile.
 */
@ApplicationScoped
public class Lifecycle {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<InstanceTask, InstanceTask> ERROR_OF =
      Map.of(
          InstanceTask.BUILDING, InstanceTask.BUILDING_ERROR_TIMEOUT_GA,
          InstanceTask.REBOOTING, InstanceTask.REBOOTING_ERROR,
          InstanceTask.RESIZING, InstanceTask.RESIZING_ERROR,
          InstanceTask.DELETING, InstanceTask.DELETING_ERROR,
          InstanceTask.DETACHING, InstanceTask.DETACHING_ERROR,
          InstanceTask.PROMOTING, InstanceTask.PROMOTION_ERROR,
          InstanceTask.EJECTING, InstanceTask.EJECTION_ERROR,
          InstanceTask.UPGRADING, InstanceTask.UPGRADING_INSTANCE_ERROR,
          InstanceTask.UPDATING, InstanceTask.UPDATING_ERROR_ACCESS,
          InstanceTask.MIGRATING, InstanceTask.UPGRADING_INSTANCE_ERROR);

  /** The error task a failed {@code task} ends in; null for tasks that have none. */
  public static InstanceTask errorOf(InstanceTask task) {
    return ERROR_OF.get(task);
  }

  private final InstanceRepository instances;
  private final ServiceStatusRepository statuses;
  private final InstanceFaultRepository faults;
  private final Clock clock;
  private final TaskMetrics metrics;

  private final io.coffer.taskmanager.notify.UsageEvents usage;
  private final ApiEvents api;

  Lifecycle(
      InstanceRepository instances,
      ServiceStatusRepository statuses,
      InstanceFaultRepository faults,
      Clock clock,
      TaskMetrics metrics,
      io.coffer.taskmanager.notify.UsageEvents usage,
      ApiEvents api) {
    this.usage = usage;
    this.api = api;
    this.instances = instances;
    this.statuses = statuses;
    this.faults = faults;
    this.clock = clock;
    this.metrics = metrics;
  }

  /** The instance, if it exists and is not deleted (detached copy). */
  @Transactional
  public Optional<InstanceEntity> live(String id) {
    Optional<InstanceEntity> i = instances.live(id);
    i.ifPresent(instances.getEntityManager()::detach);
    return i;
  }

  /** The live replicas of a source (detached copies). */
  @Transactional
  public List<InstanceEntity> replicasOf(String sourceId) {
    List<InstanceEntity> out = instances.replicasOf(sourceId);
    out.forEach(instances.getEntityManager()::detach);
    return out;
  }

  /** Records the server the compute driver made. */
  @Transactional
  public void serverCreated(String id, Server server) {
    instances
        .live(id)
        .ifPresent(
            i -> {
              i.computeInstanceId = server.serverId();
              i.volumeId = server.volumeId();
              i.serverStatus = server.status();
              i.addresses = addressesJson(server);
              i.updated = clock.instant();
            });
  }

  private static String addressesJson(Server server) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Server.Address a : server.addresses()) {
      if (a.address() == null) {
        continue;
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("address", a.address());
      m.put("type", a.type());
      m.put("network", a.network());
      out.add(m);
    }
    try {
      return JSON.writeValueAsString(out);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Ends {@code task} (task NONE), unless the instance moved on meanwhile; true when ended. */
  @Transactional
  public boolean finish(String id, InstanceTask task) {
    Instant now = clock.instant();
    Instant started = instances.live(id).map(i -> i.taskStartTime).orElse(null);
    int n =
        instances.update(
            "taskId = ?1, taskDescription = ?2, taskDeadline = null, updated = ?3"
                + " where id = ?4 and taskId = ?5 and deleted = false",
            InstanceTask.NONE.code(),
            InstanceTask.NONE.dbText(),
            now,
            id,
            task.code());
    if (n == 1) {
      Log.infof("instance %s: %s finished", id, task.action());
      metrics.ended(task, true, started, now);
      api.ended(id, task);
    }
    return n == 1;
  }

  /** Updates fields of an instance whose task is still {@code task}. */
  @Transactional
  public void update(String id, java.util.function.Consumer<InstanceEntity> change) {
    instances
        .live(id)
        .ifPresent(
            i -> {
              change.accept(i);
              i.updated = clock.instant();
            });
  }

  /** Records a volume's new size, with its trove.instance.modify_volume event. */
  @Transactional
  public void volumeResized(String id, int newSize) {
    instances
        .live(id)
        .ifPresent(
            i -> {
              int old = i.volumeSize == null ? 0 : i.volumeSize;
              Instant now = clock.instant();
              i.volumeSize = newSize;
              i.updated = now;
              usage.volumeModified(id, old, io.coffer.taskmanager.notify.UsageEvents.isoTime(now));
            });
  }

  /** Records an instance's new flavor, with its trove.instance.modify_flavor event. */
  @Transactional
  public void flavorResized(String id, String flavorId) {
    instances
        .live(id)
        .ifPresent(
            i -> {
              String old = i.flavorId;
              Instant now = clock.instant();
              i.flavorId = flavorId;
              i.updated = now;
              usage.flavorModified(id, old, io.coffer.taskmanager.notify.UsageEvents.isoTime(now));
            });
  }

  /**
   * Fails the instance's current task: the error task, a fault row with the reason, unless the
   * instance was deleted or its task changed from {@code expected} meanwhile.
   */
  @Transactional
  public void fail(
      String id, InstanceTask expected, InstanceTask error, String message, String details) {
    Optional<InstanceEntity> found = instances.live(id);
    if (found.isEmpty()) {
      return;
    }
    InstanceEntity i = found.get();
    if (expected != null && i.task() != expected) {
      Log.infof("instance %s: %s not recorded, the task is now %s", id, error, i.task());
      return;
    }
    Instant now = clock.instant();
    metrics.ended(i.task(), false, i.taskStartTime, now);
    api.failed(id, i.task(), message);
    i.setTask(error, now, null);
    faults.record(id, message, details, now);
    Log.warnf("instance %s: %s — %s", id, error.dbText(), message);
  }

  /** Records an event of an instance as a fault its owner sees, without changing its task. */
  @Transactional
  public void note(String id, String message, String details) {
    if (instances.live(id).isPresent()) {
      faults.record(id, message, details, clock.instant());
    }
  }

  /** Sets the stored service status. */
  @Transactional
  public void service(String id, ServiceStatus status) {
    statuses.ofInstance(id).ifPresent(s -> s.setStatus(status, clock.instant()));
  }

  /** Marks an instance deleted (soft delete, as Trove); its faults go with it. */
  @Transactional
  public void deleted(String id) {
    instances
        .findByIdOptional(id)
        .filter(i -> !i.deleted)
        .ifPresent(
            i -> {
              Instant now = clock.instant();
              i.setTask(InstanceTask.NONE, now, null);
              i.deleted = true;
              i.deletedAt = now;
              i.serverStatus = "DELETED";
              i.configurationId = null;
              statuses.ofInstance(id).ifPresent(s -> s.setStatus(ServiceStatus.DELETED, now));
              faults.clear(id, now);
              usage.deleted(id, io.coffer.taskmanager.notify.UsageEvents.isoTime(now));
              api.deleted(id);
              Log.infof("instance %s: deleted", id);
            });
  }

  /** Instances whose current task is past its deadline. */
  @Transactional
  public List<InstanceEntity> overdue() {
    List<InstanceEntity> list = instances.overdue(clock.instant());
    list.forEach(instances.getEntityManager()::detach);
    return list;
  }

  /** The current time. */
  public Instant now() {
    return clock.instant();
  }

  /** A deadline {@code timeout} from now. */
  public Instant after(Duration timeout) {
    return clock.instant().plus(timeout);
  }
}
