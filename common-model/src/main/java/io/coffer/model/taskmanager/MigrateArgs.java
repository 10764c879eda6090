package io.coffer.model.taskmanager;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Arguments of {@code migrate}.
 *
 * @param instanceId the instance
 * @param host target host, optional
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record MigrateArgs(String instanceId, String host) {}
