package io.coffer.model.guest;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * Arguments of {@code create_database}.
 *
 * @param databases databases to create
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CreateDatabaseArgs(List<DatabaseModel> databases) {}
