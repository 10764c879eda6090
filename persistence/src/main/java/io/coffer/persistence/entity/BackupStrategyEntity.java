package io.coffer.persistence.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * Where a project's (or one instance's, {@code instance_id} non-empty) backups are stored, table
 * {@code backup_strategy}.
 */
@Entity
@Table(name = "backup_strategy")
public class BackupStrategyEntity {

  @Id public String id;

  @Column(name = "tenant_id")
  public String tenantId;

  /** The instance, or {@code ""} for the whole project. */
  @Column(name = "instance_id")
  public String instanceId;

  public String backend;

  @Column(name = "swift_container")
  public String swiftContainer;

  public Instant created;
}
