package io.coffer.model.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * The backup an instance is prepared from ({@code backup_info} of {@code prepare}).
 *
 * @param id backup id
 * @param instanceId instance the backup was taken from
 * @param location where the backup is stored
 * @param type {@code full} or {@code incremental}
 * @param checksum expected checksum of the stored backup
 * @param walArchive point-in-time recovery (Coffer): the container of the write-ahead log archive
 *     replayed after the backup, or null
 * @param restoreTime point-in-time recovery: replay stops before the first commit after this
 *     instant (ISO-8601); null replays the whole archive
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RestoreInfo(
    String id,
    String instanceId,
    String location,
    String type,
    String checksum,
    @JsonInclude(JsonInclude.Include.NON_NULL) String walArchive,
    @JsonInclude(JsonInclude.Include.NON_NULL) String restoreTime) {

  /** A backup restored as it was taken (Trove's {@code backup_info}). */
  public RestoreInfo(String id, String instanceId, String location, String type, String checksum) {
    this(id, instanceId, location, type, checksum, null, null);
  }
}
