package io.coffer.api.v1.view;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Trove's timestamps: naive UTC ISO-8601 without fraction or zone, e.g. {@code
 * 2019-12-23T20:58:35}.
 */
public final class Times {

  private static final DateTimeFormatter FORMAT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

  private Times() {}

  /** Formats an instant; {@code null} stays {@code null}. */
  public static String format(Instant instant) {
    return instant == null ? null : FORMAT.format(instant);
  }
}
