package io.coffer.model.taskmanager;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Arguments of {@code reapply_module}.
 *
 * @param moduleId the module
 * @param md5 checksum of the module contents to apply
 * @param includeClustered whether cluster members are included
 * @param batchSize instances per batch
 * @param batchDelay seconds between batches
 * @param force apply even where the checksum matches
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ReapplyModuleArgs(
    String moduleId,
    String md5,
    Boolean includeClustered,
    Integer batchSize,
    Integer batchDelay,
    Boolean force) {}
