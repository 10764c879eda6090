package io.coffer.model.taskmanager;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * Arguments of {@code grow_cluster}.
 *
 * @param clusterId the cluster
 * @param newInstanceIds instances to add
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record GrowClusterArgs(String clusterId, List<String> newInstanceIds) {}
