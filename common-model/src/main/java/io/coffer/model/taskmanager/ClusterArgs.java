package io.coffer.model.taskmanager;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Arguments of {@code create_cluster}, {@code delete_cluster} and {@code restart_cluster}.
 *
 * @param clusterId the cluster
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ClusterArgs(String clusterId) {}
