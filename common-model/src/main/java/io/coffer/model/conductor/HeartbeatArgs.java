package io.coffer.model.conductor;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Arguments of {@code heartbeat}.
 *
 * @param instanceId the reporting instance
 * @param payload the status report
 * @param sent when the guest sent it: epoch seconds with microseconds
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record HeartbeatArgs(String instanceId, HeartbeatPayload payload, Double sent) {}
