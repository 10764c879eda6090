package io.coffer.model.guest;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Map;

/**
 * Arguments of {@code apply_overrides}: values to apply to the running server.
 *
 * @param overrides parameter values
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ApplyOverridesArgs(Map<String, Object> overrides) {}
