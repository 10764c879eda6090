package io.coffer.persistence.entity;

import io.coffer.model.status.InstanceTask;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A database instance, table {@code instances}. The API writes the intent (row, task), the
 * taskmanager writes the lifecycle (task, server status, addresses, deadline). Soft-deleted.
 */
@Entity
// only changed columns are written: the API, the taskmanager and the conductor update different
// columns of the same rows concurrently, and a full-row update would undo the others' changes
@org.hibernate.annotations.DynamicUpdate
@Table(name = "instances")
public class InstanceEntity {

  @Id public String id;

  public Instant created;

  public Instant updated;

  public String name;

  public String hostname;

  /** Id of the server in the compute driver (a local process group, a Nova server, …). */
  @Column(name = "compute_instance_id")
  public String computeInstanceId;

  @Column(name = "task_id")
  public int taskId;

  @Column(name = "task_description")
  public String taskDescription;

  @Column(name = "task_start_time")
  public Instant taskStartTime;

  @Column(name = "volume_id")
  public String volumeId;

  @Column(name = "flavor_id")
  public String flavorId;

  /** Volume size in GB. */
  @Column(name = "volume_size")
  public Integer volumeSize;

  @Column(name = "tenant_id")
  public String tenantId;

  /** Status of the compute server: BUILD, ACTIVE, SHUTDOWN, REBOOT, RESIZE, ERROR, … */
  @Column(name = "server_status")
  public String serverStatus;

  public boolean deleted;

  @Column(name = "deleted_at")
  public Instant deletedAt;

  @Column(name = "datastore_version_id")
  public String datastoreVersionId;

  @Column(name = "configuration_id")
  public String configurationId;

  @Column(name = "slave_of_id")
  public String slaveOfId;

  @Column(name = "cluster_id")
  public String clusterId;

  @Column(name = "shard_id")
  public String shardId;

  public String type;

  @Column(name = "region_id")
  public String regionId;

  /** The instance's message key, encrypted with the control plane's key; never shown. */
  @Column(name = "encrypted_key")
  public String encryptedKey;

  /** JSON {@code {"is_public": …, "allowed_cidrs": […]}}. */
  public String access;

  /** When the current task must be over; {@code null} when no task runs. */
  @Column(name = "task_deadline")
  public Instant taskDeadline;

  /** JSON list of {@code {"address", "type", "network"}}. */
  public String addresses;

  @Column(name = "volume_type")
  public String volumeType;

  @Column(name = "availability_zone")
  public String availabilityZone;

  public String locality;

  /** The Keystone user who asked for the instance (usage notifications report it). */
  @Column(name = "user_id")
  public String userId;

  /** Automatic failover of this source (Coffer): null follows the operator's default. */
  @Column(name = "auto_failover")
  public Boolean autoFailover;

  /** A failover fenced this former source: its database stays down until it rejoins. */
  public boolean fenced;

  /** The current task. */
  public InstanceTask task() {
    return InstanceTask.fromCode(taskId)
        .or(() -> InstanceTask.fromDbText(taskDescription))
        .orElse(InstanceTask.NONE);
  }

  /** Sets the task, its start time and its deadline ({@code null}: none). */
  public void setTask(InstanceTask task, Instant now, Instant deadline) {
    this.taskId = task.code();
    this.taskDescription = task.dbText();
    this.taskStartTime = now;
    this.taskDeadline = deadline;
    this.updated = now;
  }
}
