package io.coffer.model.guest;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Result of {@code get_filesystem_stats}. Note Trove's units: {@code total} and {@code used} in GB
 * (two decimals), {@code free} in bytes.
 *
 * @param blockSize block size in bytes
 * @param totalBlocks blocks in the volume
 * @param freeBlocks free blocks
 * @param total volume size in GB
 * @param free free bytes
 * @param used used GB
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record FilesystemStats(
    Long blockSize, Long totalBlocks, Long freeBlocks, Double total, Long free, Double used) {}
