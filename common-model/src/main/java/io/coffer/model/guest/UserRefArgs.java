package io.coffer.model.guest;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Arguments of {@code get_user} and {@code list_access}.
 *
 * @param username the user
 * @param hostname the user's host
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record UserRefArgs(String username, String hostname) {}
