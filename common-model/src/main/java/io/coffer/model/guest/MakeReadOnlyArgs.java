package io.coffer.model.guest;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Arguments of {@code make_read_only}.
 *
 * @param readOnly the read-only flag to set
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record MakeReadOnlyArgs(Boolean readOnly) {}
