package io.coffer.model.taskmanager;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.coffer.model.common.BackupInfo;

/**
 * Arguments of the taskmanager's {@code create_backup}.
 *
 * @param backupInfo the backup to take
 * @param instanceId the instance to back up
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CreateBackupArgs(BackupInfo backupInfo, String instanceId) {}
