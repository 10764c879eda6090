package io.coffer.model.guest;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Map;

/**
 * Arguments of {@code module_apply}.
 *
 * @param modules modules to apply
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ModuleApplyArgs(List<Map<String, Object>> modules) {}
