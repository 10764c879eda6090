package io.coffer.guest.datastore;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * One page of a listing and the marker of the next ({@code null} on the last page).
 *
 * @param items the page
 * @param nextMarker where the next page starts
 */
public record Page<T>(List<T> items, String nextMarker) {

  /**
   * The page of {@code rows} (read with one extra row) for {@code limit}, marked by {@code name}.
   */
  public static <T> Page<T> of(List<T> rows, int limit, Function<T, String> name) {
    if (rows.size() > limit) {
      List<T> items = rows.subList(0, limit);
      return new Page<>(new ArrayList<>(items), name.apply(items.get(limit - 1)));
    }
    return new Page<>(rows, null);
  }

  /** Trove's wire form: {@code [items, next marker]}. */
  public List<Object> toWire() {
    return Arrays.asList(items, nextMarker);
  }
}
