package io.coffer.model.conductor;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * The payload of a heartbeat.
 *
 * @param serviceStatus the probed status by its description, e.g. {@code healthy}
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record HeartbeatPayload(String serviceStatus) {}
