package io.coffer.model.guest;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Arguments of {@code mount_volume} and {@code unmount_volume}.
 *
 * @param devicePath block device
 * @param mountPoint mount point
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record VolumeArgs(String devicePath, String mountPoint) {}
