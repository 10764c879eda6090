package io.coffer.model.common;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * What the taskmanager and the guest agent are told about a backup to take ({@code backup_info}).
 *
 * @param id backup id
 * @param name backup name
 * @param description backup description
 * @param instanceId instance being backed up
 * @param backupType {@code full} or {@code incremental}
 * @param checksum checksum, {@code null} until taken
 * @param parent the parent backup of an incremental one, else {@code null}
 * @param datastore datastore name
 * @param datastoreVersion datastore version name
 * @param swiftContainer container (Swift) or bucket the backup goes to, optional
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record BackupInfo(
    String id,
    String name,
    String description,
    String instanceId,
    String backupType,
    String checksum,
    ParentBackup parent,
    String datastore,
    String datastoreVersion,
    String swiftContainer) {

  /**
   * The parent of an incremental backup.
   *
   * @param id parent backup id (Coffer adds it; Trove sends location and checksum only)
   * @param location where the parent is stored
   * @param checksum the parent's checksum
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record ParentBackup(String id, String location, String checksum) {}
}
