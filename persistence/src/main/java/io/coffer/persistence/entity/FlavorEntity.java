package io.coffer.persistence.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A flavor (server size), table {@code flavors}; seeded by migration, managed by admins. */
@Entity
@Table(name = "flavors")
public class FlavorEntity {

  @Id public String id;

  public String name;

  /** Memory in MB. */
  public int ram;

  public int vcpus;

  /** Root disk in GB. */
  public int disk;

  public int ephemeral;

  public int swap;

  @Column(name = "is_public")
  public boolean isPublic;

  public boolean deleted;

  public Instant created;

  public Instant updated;
}
