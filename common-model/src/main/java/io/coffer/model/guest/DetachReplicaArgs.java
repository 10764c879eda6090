package io.coffer.model.guest;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Arguments of {@code detach_replica}.
 *
 * @param forFailover whether the detach is part of a promote or eject
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record DetachReplicaArgs(Boolean forFailover) {}
