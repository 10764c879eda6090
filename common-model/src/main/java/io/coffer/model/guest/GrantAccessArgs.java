package io.coffer.model.guest;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * Arguments of {@code grant_access}.
 *
 * @param username the user
 * @param hostname the user's host
 * @param databases names of the databases to grant
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record GrantAccessArgs(String username, String hostname, List<String> databases) {}
