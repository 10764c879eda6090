package io.coffer.model.taskmanager;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Arguments of {@code upgrade_cluster}.
 *
 * @param clusterId the cluster
 * @param datastoreVersionId the datastore version to upgrade to
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record UpgradeClusterArgs(String clusterId, String datastoreVersionId) {}
