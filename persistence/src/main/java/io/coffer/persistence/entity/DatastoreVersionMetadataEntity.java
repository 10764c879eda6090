package io.coffer.persistence.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A whitelist entry of a datastore version ({@code key} = {@code flavor} or {@code volume_type}),
 * table {@code datastore_version_metadata}.
 */
@Entity
@Table(name = "datastore_version_metadata")
public class DatastoreVersionMetadataEntity {

  @Id public String id;

  @Column(name = "datastore_version_id")
  public String datastoreVersionId;

  public String key;

  public String value;

  public Instant created;

  public boolean deleted;

  @Column(name = "deleted_at")
  public Instant deletedAt;

  @Column(name = "updated_at")
  public Instant updatedAt;
}
