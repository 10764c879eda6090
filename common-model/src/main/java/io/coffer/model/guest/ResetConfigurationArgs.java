package io.coffer.model.guest;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Map;

/**
 * Arguments of {@code reset_configuration}.
 *
 * @param configuration the configuration template ({@code config_contents}, …)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ResetConfigurationArgs(Map<String, Object> configuration) {}
