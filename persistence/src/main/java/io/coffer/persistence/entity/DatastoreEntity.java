package io.coffer.persistence.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A datastore (engine type), table {@code datastores}; written by the admin CLI and mgmt API. */
@Entity
@Table(name = "datastores")
public class DatastoreEntity {

  @Id public String id;

  public String name;

  @Column(name = "default_version_id")
  public String defaultVersionId;
}
