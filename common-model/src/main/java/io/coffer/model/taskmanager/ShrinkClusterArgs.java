package io.coffer.model.taskmanager;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * Arguments of {@code shrink_cluster}.
 *
 * @param clusterId the cluster
 * @param instanceIds instances to remove
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ShrinkClusterArgs(String clusterId, List<String> instanceIds) {}
