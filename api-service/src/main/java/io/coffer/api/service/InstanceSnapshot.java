package io.coffer.api.service;

import io.coffer.model.status.InstanceStatusRules;
import io.coffer.model.status.InstanceTask;
import io.coffer.model.status.ServiceStatus;
import io.coffer.persistence.entity.ConfigurationEntity;
import io.coffer.persistence.entity.DatastoreEntity;
import io.coffer.persistence.entity.DatastoreVersionEntity;
import io.coffer.persistence.entity.InstanceEntity;
import io.coffer.persistence.entity.InstanceFaultEntity;
import io.coffer.persistence.entity.ServiceStatusEntity;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * An instance with everything its views and its action checks need, read at one moment.
 *
 * @param instance the instance row
 * @param service its service status row (may be missing for very old rows)
 * @param backupRunning whether a backup is being taken
 * @param version its datastore version (null if deleted)
 * @param datastore its datastore (null if deleted)
 * @param fault its newest fault, if any
 * @param replicaIds its replicas (when it is a source)
 * @param configuration its configuration group, if attached
 * @param now the time of reading
 * @param expiry the heartbeat expiry
 */
public record InstanceSnapshot(
    InstanceEntity instance,
    ServiceStatusEntity service,
    boolean backupRunning,
    DatastoreVersionEntity version,
    DatastoreEntity datastore,
    InstanceFaultEntity fault,
    List<String> replicaIds,
    ConfigurationEntity configuration,
    Instant now,
    Duration expiry) {

  /** The task. */
  public InstanceTask task() {
    return instance.task();
  }

  /** The stored service status. */
  public ServiceStatus storedService() {
    return service == null ? ServiceStatus.UNKNOWN : service.status();
  }

  /** The service status as read, with the heartbeat expiry applied. */
  public ServiceStatus effectiveService() {
    return InstanceStatusRules.effectiveService(
        task(), storedService(), service == null ? null : service.updatedAt, now, expiry);
  }

  /** The API {@code status}. */
  public String status() {
    return InstanceStatusRules.status(task(), serverStatus(), storedService(), backupRunning);
  }

  /** The API {@code operating_status}. */
  public String operatingStatus() {
    return InstanceStatusRules.operatingStatus(task(), serverStatus(), effectiveService());
  }

  /** The compute server's status; while building Trove does not ask the compute service. */
  public String serverStatus() {
    if (InstanceTask.BUILDING.action().equals(task().action()) && !task().isError()) {
      return "BUILD";
    }
    return instance.serverStatus == null ? "BUILD" : instance.serverStatus;
  }

  /** Why no action may run now, or {@code null} (Trove's "can perform action" gate). */
  public String blockingStatus() {
    return InstanceStatusRules.blockingStatus(
        task(), serverStatus(), effectiveService(), backupRunning);
  }
}
