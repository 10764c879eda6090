package io.coffer.model.guest;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * Arguments of {@code change_passwords}.
 *
 * @param users users and their new passwords
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ChangePasswordsArgs(List<UserPassword> users) {}
