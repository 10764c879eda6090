package io.coffer.persistence.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A project's limit on a resource, table {@code quotas}; absent rows mean Trove's defaults. */
@Entity
@Table(name = "quotas")
public class QuotaEntity {

  @Id public String id;

  public Instant created;

  public Instant updated;

  @Column(name = "tenant_id")
  public String tenantId;

  public String resource;

  /** The limit; -1 means unlimited. */
  @Column(name = "hard_limit")
  public int hardLimit;
}
