package io.coffer.persistence.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * Why an instance failed, table {@code instance_faults}; written by the taskmanager and the
 * conductor, shown as {@code fault} (details only to admins).
 */
@Entity
@Table(name = "instance_faults")
public class InstanceFaultEntity {

  /** Longest message Trove keeps. */
  public static final int MESSAGE_LENGTH = 255;

  @Id public String id;

  @Column(name = "instance_id")
  public String instanceId;

  public String message;

  public String details;

  public Instant created;

  public Instant updated;

  public boolean deleted;

  @Column(name = "deleted_at")
  public Instant deletedAt;
}
