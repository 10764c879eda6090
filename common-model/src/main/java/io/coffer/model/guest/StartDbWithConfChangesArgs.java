package io.coffer.model.guest;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Arguments of {@code start_db_with_conf_changes} (version 1.1).
 *
 * @param configContents the new main configuration file
 * @param dsVersion datastore version number
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record StartDbWithConfChangesArgs(String configContents, String dsVersion) {}
