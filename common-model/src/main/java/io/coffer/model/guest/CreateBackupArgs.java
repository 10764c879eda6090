package io.coffer.model.guest;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.coffer.model.common.BackupInfo;

/**
 * Arguments of the guest's {@code create_backup}.
 *
 * @param backupInfo the backup to take
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CreateBackupArgs(BackupInfo backupInfo) {}
