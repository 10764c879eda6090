package io.coffer.model.guest;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Map;

/**
 * Arguments of the guest's {@code rebuild}.
 *
 * @param dsVersion datastore version number
 * @param configContents rendered main configuration file
 * @param configOverrides configuration overrides
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RebuildArgs(
    String dsVersion, String configContents, Map<String, Object> configOverrides) {}
