package io.coffer.model.guest;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Arguments of {@code module_list}.
 *
 * @param includeContents whether module contents are returned
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ModuleListArgs(Boolean includeContents) {}
