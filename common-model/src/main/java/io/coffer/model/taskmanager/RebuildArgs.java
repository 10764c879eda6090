package io.coffer.model.taskmanager;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Arguments of {@code rebuild}.
 *
 * @param instanceId the instance
 * @param imageId image to rebuild from
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RebuildArgs(String instanceId, String imageId) {}
