package io.coffer.model.taskmanager;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Arguments of {@code delete_backup}.
 *
 * @param backupId the backup
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record DeleteBackupArgs(String backupId) {}
