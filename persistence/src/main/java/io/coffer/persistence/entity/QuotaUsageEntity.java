package io.coffer.persistence.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A project's use of a resource, table {@code quota_usages}; written by the API. */
@Entity
@Table(name = "quota_usages")
public class QuotaUsageEntity {

  @Id public String id;

  public Instant created;

  public Instant updated;

  @Column(name = "tenant_id")
  public String tenantId;

  @Column(name = "in_use")
  public int inUse;

  public int reserved;

  public String resource;
}
