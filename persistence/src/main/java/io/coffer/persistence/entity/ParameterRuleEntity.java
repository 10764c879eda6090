package io.coffer.persistence.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A configuration parameter a datastore version accepts, with its type and bounds, table {@code
 * datastore_configuration_parameters}; loaded by the admin CLI, managed by the mgmt API.
 */
@Entity
@Table(name = "datastore_configuration_parameters")
public class ParameterRuleEntity {

  @Id public String id;

  public String name;

  @Column(name = "datastore_version_id")
  public String datastoreVersionId;

  @Column(name = "restart_required")
  public boolean restartRequired;

  @Column(name = "max_size")
  public String maxSize;

  @Column(name = "min_size")
  public String minSize;

  /** {@code integer}, {@code string}, {@code boolean} or {@code float}. */
  @Column(name = "data_type")
  public String dataType;

  public boolean deleted;

  @Column(name = "deleted_at")
  public Instant deletedAt;
}
