package io.coffer.model.guest;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.coffer.model.secret.Secret;

/**
 * New attributes of a user ({@code user_attrs}); absent ones stay as they are.
 *
 * @param name new name
 * @param host new host
 * @param password new password
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record UserAttributes(String name, String host, Secret password) {}
