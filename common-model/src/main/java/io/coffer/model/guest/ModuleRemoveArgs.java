package io.coffer.model.guest;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Map;

/**
 * Arguments of {@code module_remove}.
 *
 * @param module the module to remove
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ModuleRemoveArgs(Map<String, Object> module) {}
