package io.coffer.model.guest;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Arguments of {@code update_attributes}.
 *
 * @param username the user
 * @param hostname the user's host
 * @param userAttrs what to change
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record UpdateAttributesArgs(String username, String hostname, UserAttributes userAttrs) {}
