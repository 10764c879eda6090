package io.coffer.model.guest;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Arguments of {@code delete_database}.
 *
 * @param database the database to drop
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record DeleteDatabaseArgs(DatabaseModel database) {}
