package io.coffer.model.conductor;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Arguments of {@code update_backup}: progress or result of a backup. Only the backup fields
 * present are changed; {@code success} is informational.
 *
 * @param instanceId the instance being backed up
 * @param backupId the backup
 * @param sent when the guest sent it: epoch seconds with microseconds
 * @param size size in GB
 * @param state backup state, e.g. {@code BUILDING}, {@code COMPLETED}
 * @param backupType {@code full} or {@code incremental}
 * @param checksum checksum of the stored backup
 * @param location where the backup is stored
 * @param success whether the backup succeeded (final report only)
 * @param failReason why the backup failed (Coffer; a backup column like the others)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record UpdateBackupArgs(
    String instanceId,
    String backupId,
    Double sent,
    Double size,
    String state,
    String backupType,
    String checksum,
    String location,
    Boolean success,
    String failReason) {

  /** A report without a failure reason (Trove's arguments). */
  public UpdateBackupArgs(
      String instanceId,
      String backupId,
      Double sent,
      Double size,
      String state,
      String backupType,
      String checksum,
      String location,
      Boolean success) {
    this(instanceId, backupId, sent, size, state, backupType, checksum, location, success, null);
  }
}
