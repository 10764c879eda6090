package io.coffer.model.guest;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Arguments of {@code revoke_access}.
 *
 * @param username the user
 * @param hostname the user's host
 * @param database name of the database to revoke
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RevokeAccessArgs(String username, String hostname, String database) {}
