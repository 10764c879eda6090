package io.coffer.persistence.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A configuration group, table {@code configurations}; written by the API. */
@Entity
@Table(name = "configurations")
public class ConfigurationEntity {

  @Id public String id;

  public String name;

  public String description;

  @Column(name = "tenant_id")
  public String tenantId;

  @Column(name = "datastore_version_id")
  public String datastoreVersionId;

  public boolean deleted;

  @Column(name = "deleted_at")
  public Instant deletedAt;

  public Instant created;

  public Instant updated;
}
