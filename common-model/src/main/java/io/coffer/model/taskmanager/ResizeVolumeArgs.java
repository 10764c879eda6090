package io.coffer.model.taskmanager;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Arguments of {@code resize_volume}.
 *
 * @param newSize new volume size in GB
 * @param instanceId the instance
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ResizeVolumeArgs(Integer newSize, String instanceId) {}
