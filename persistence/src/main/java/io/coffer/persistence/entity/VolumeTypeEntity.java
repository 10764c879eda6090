package io.coffer.persistence.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A kind of volume the compute driver offers, table {@code volume_types}: written by the
 * taskmanager from its driver (Cinder's types on OpenStack), read by the API.
 */
@Entity
@Table(name = "volume_types")
public class VolumeTypeEntity {

  @Id public String id;

  public String name;

  @Column(name = "is_public")
  public boolean isPublic;

  public String description;

  public boolean deleted;

  public Instant created;

  public Instant updated;
}
