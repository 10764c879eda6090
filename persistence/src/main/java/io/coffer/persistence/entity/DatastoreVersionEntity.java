package io.coffer.persistence.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.Arrays;
import java.util.List;

/**
 * A datastore version, table {@code datastore_versions}; written by the admin CLI and mgmt API.
 * {@code packages} and {@code image_tags} are comma-separated, as in Trove.
 */
@Entity
@Table(name = "datastore_versions")
public class DatastoreVersionEntity {

  @Id public String id;

  @Column(name = "datastore_id")
  public String datastoreId;

  public String name;

  @Column(name = "image_id")
  public String imageId;

  public String packages;

  public boolean active;

  public String manager;

  @Column(name = "image_tags")
  public String imageTags;

  public String version;

  /** The image tags as a list (empty when none). */
  public List<String> imageTagList() {
    return split(imageTags);
  }

  /** The packages as a list (empty when none). */
  public List<String> packageList() {
    return split(packages);
  }

  private static List<String> split(String csv) {
    if (csv == null || csv.isBlank()) {
      return List.of();
    }
    return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }
}
