package io.coffer.api.service;

import java.util.List;

/**
 * One page of a listing.
 *
 * @param items the items
 * @param nextMarker the marker of the next page, or {@code null} on the last page
 * @param <T> item type
 */
public record Page<T>(List<T> items, String nextMarker) {

  /** Cuts a list fetched with one extra row into a page. */
  public static <T> Page<T> of(
      List<T> rows, int limit, java.util.function.Function<T, String> marker) {
    if (rows.size() > limit) {
      List<T> items = rows.subList(0, limit);
      return new Page<>(items, marker.apply(items.get(limit - 1)));
    }
    return new Page<>(rows, null);
  }
}
