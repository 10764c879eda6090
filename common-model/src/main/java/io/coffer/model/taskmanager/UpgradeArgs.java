package io.coffer.model.taskmanager;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Arguments of {@code upgrade}.
 *
 * @param instanceId the instance
 * @param datastoreVersionId the datastore version to upgrade to
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record UpgradeArgs(String instanceId, String datastoreVersionId) {}
