package io.coffer.model.common;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * A flavor as the taskmanager receives it (Trove sends Nova's flavor dict).
 *
 * @param id flavor id (a string; Nova ids may be non-numeric)
 * @param name flavor name
 * @param ram memory in MB
 * @param vcpus virtual CPUs
 * @param disk root disk in GB
 * @param ephemeral ephemeral disk in GB
 * @param swap swap in MB
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record FlavorInfo(
    String id,
    String name,
    Integer ram,
    Integer vcpus,
    Integer disk,
    Integer ephemeral,
    Integer swap) {}
