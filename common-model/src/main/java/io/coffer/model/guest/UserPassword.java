package io.coffer.model.guest;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.coffer.model.secret.Secret;

/**
 * One entry of {@code change_passwords}: {@code {"name", "host", "password"}}.
 *
 * @param name user name
 * @param host user host
 * @param password new password
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record UserPassword(String name, String host, Secret password) {}
