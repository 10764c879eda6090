package io.coffer.model.guest;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Map;

/**
 * Arguments of {@code cleanup_source_on_replica_detach}.
 *
 * @param replicaInfo the replica that left: {@code id}, and on PostgreSQL its {@code slot}
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CleanupSourceArgs(Map<String, Object> replicaInfo) {}
