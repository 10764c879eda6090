package io.coffer.model.guest;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Arguments of {@code get_filesystem_stats}.
 *
 * @param fsPath the path to measure; {@code null} means the data volume
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record FilesystemStatsArgs(String fsPath) {}
