package io.coffer.model.guest;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Map;

/**
 * Arguments of the legacy {@code attach_replication_slave}.
 *
 * @param snapshot the replication snapshot
 * @param slaveConfig replica configuration
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record AttachReplicationSlaveArgs(
    Map<String, Object> snapshot, Map<String, Object> slaveConfig) {}
