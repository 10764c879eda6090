package io.coffer.model.guest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A database (schema) as Trove's guest models serialise it: {@code {"_name", "_character_set",
 * "_collate"}}.
 *
 * @param name database name
 * @param characterSet character set (encoding on PostgreSQL), optional
 * @param collate collation, optional
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DatabaseModel(
    @JsonProperty("_name") String name,
    @JsonProperty("_character_set") String characterSet,
    @JsonProperty("_collate") String collate) {

  /** A database with the server's default character set and collation. */
  public static DatabaseModel named(String name) {
    return new DatabaseModel(name, null, null);
  }
}
