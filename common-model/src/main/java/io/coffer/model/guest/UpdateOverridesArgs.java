package io.coffer.model.guest;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Map;

/**
 * Arguments of {@code update_overrides}.
 *
 * @param overrides parameter values to write
 * @param remove whether to remove the overrides instead
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record UpdateOverridesArgs(Map<String, Object> overrides, Boolean remove) {}
