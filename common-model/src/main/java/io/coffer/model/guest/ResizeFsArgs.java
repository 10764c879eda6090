package io.coffer.model.guest;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Arguments of {@code resize_fs} (version 1.1).
 *
 * @param devicePath block device
 * @param mountPoint mount point
 * @param online whether the filesystem is grown while mounted
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ResizeFsArgs(String devicePath, String mountPoint, Boolean online) {}
