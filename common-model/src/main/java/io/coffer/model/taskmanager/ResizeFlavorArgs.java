package io.coffer.model.taskmanager;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.coffer.model.common.FlavorInfo;

/**
 * Arguments of {@code resize_flavor}.
 *
 * @param instanceId the instance
 * @param oldFlavor its current flavor
 * @param newFlavor the flavor to resize to
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ResizeFlavorArgs(String instanceId, FlavorInfo oldFlavor, FlavorInfo newFlavor) {}
