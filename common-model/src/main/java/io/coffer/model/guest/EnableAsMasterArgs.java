package io.coffer.model.guest;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Map;

/**
 * Arguments of {@code enable_as_master}.
 *
 * @param replicaSourceConfig source-side replication settings
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record EnableAsMasterArgs(Map<String, Object> replicaSourceConfig) {}
