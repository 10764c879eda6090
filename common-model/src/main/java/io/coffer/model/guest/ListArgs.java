package io.coffer.model.guest;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Arguments of {@code list_databases} and {@code list_users}: one page after a marker.
 *
 * @param limit page size
 * @param marker last name of the previous page, optional
 * @param includeMarker whether the marker itself belongs to this page
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ListArgs(Integer limit, String marker, Boolean includeMarker) {}
