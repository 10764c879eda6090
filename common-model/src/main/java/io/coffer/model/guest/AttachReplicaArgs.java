package io.coffer.model.guest;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Map;

/**
 * Arguments of {@code attach_replica}.
 *
 * @param replicaInfo replication context of the source to follow
 * @param slaveConfig replica configuration
 * @param restart whether to restart the server afterwards
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record AttachReplicaArgs(
    Map<String, Object> replicaInfo, Map<String, Object> slaveConfig, Boolean restart) {}
