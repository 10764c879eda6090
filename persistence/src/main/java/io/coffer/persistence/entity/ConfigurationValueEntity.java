package io.coffer.persistence.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/**
 * One value of a configuration group, table {@code configuration_parameters}; stored as text and
 * typed on read by the parameter's rule, as Trove does.
 */
@Entity
@Table(name = "configuration_parameters")
@IdClass(ConfigurationValueEntity.Key.class)
public class ConfigurationValueEntity {

  @Id
  @Column(name = "configuration_id")
  public String configurationId;

  @Id
  @Column(name = "configuration_key")
  public String key;

  @Column(name = "configuration_value")
  public String value;

  public boolean deleted;

  @Column(name = "deleted_at")
  public Instant deletedAt;

  /** Primary key: group and parameter name. */
  public static class Key implements Serializable {
    public String configurationId;
    public String key;

    public Key() {}

    public Key(String configurationId, String key) {
      this.configurationId = configurationId;
      this.key = key;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k
          && Objects.equals(configurationId, k.configurationId)
          && Objects.equals(key, k.key);
    }

    @Override
    public int hashCode() {
      return Objects.hash(configurationId, key);
    }
  }
}
