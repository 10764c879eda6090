package io.coffer.persistence.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A backup, table {@code backups}. The API creates it (NEW), the conductor records the guest's
 * progress and result, the taskmanager deletes it. Soft-deleted.
 */
@Entity
// only changed columns are written: the API, the taskmanager and the conductor update different
// columns of the same rows concurrently, and a full-row update would undo the others' changes
@org.hibernate.annotations.DynamicUpdate
@Table(name = "backups")
public class BackupEntity {

  @Id public String id;

  public String name;

  public String description;

  public String location;

  @Column(name = "backup_type")
  public String backupType;

  /** Size in GB. */
  public Double size;

  @Column(name = "tenant_id")
  public String tenantId;

  public String state;

  @Column(name = "instance_id")
  public String instanceId;

  public String checksum;

  @Column(name = "backup_timestamp")
  public Instant backupTimestamp;

  public boolean deleted;

  public Instant created;

  public Instant updated;

  @Column(name = "deleted_at")
  public Instant deletedAt;

  @Column(name = "parent_id")
  public String parentId;

  @Column(name = "datastore_version_id")
  public String datastoreVersionId;

  /** Why the backup failed, if it did. */
  @Column(name = "fail_reason")
  public String failReason;

  /** The backup storage's container the data went to; {@code null} for its default one. */
  public String container;

  /** Whether the taskmanager took it for the instance's backup policy (and expires it). */
  public boolean automated;
}
