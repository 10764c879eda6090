package io.coffer.model.common;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * The backup an instance is prepared from ({@code backup_info} of {@code prepare}).
 *
 * @param id backup id
 * @param instanceId instance the backup was taken from
 * @param location where the backup is stored
 * @param type {@code full} or {@code incremental}
 * @param checksum expected checksum of the stored backup
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RestoreInfo(
    String id, String instanceId, String location, String type, String checksum) {}
