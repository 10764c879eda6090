package io.coffer.model.taskmanager;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Arguments of the taskmanager methods that name just an instance: {@code reboot}, {@code restart},
 * {@code detach_replica}, {@code promote_to_replica_source}, {@code eject_replica_source}, {@code
 * delete_instance}.
 *
 * @param instanceId the instance
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record InstanceArgs(String instanceId) {}
