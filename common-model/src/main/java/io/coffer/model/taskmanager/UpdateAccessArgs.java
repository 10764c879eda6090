package io.coffer.model.taskmanager;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.coffer.model.common.AccessInfo;

/**
 * Arguments of {@code update_access}.
 *
 * @param instanceId the instance
 * @param access the new access settings
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record UpdateAccessArgs(String instanceId, AccessInfo access) {}
