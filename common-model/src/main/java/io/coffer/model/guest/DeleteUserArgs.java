package io.coffer.model.guest;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Arguments of {@code delete_user}.
 *
 * @param user the user to drop
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record DeleteUserArgs(UserModel user) {}
