package io.coffer.conductor.messaging;

import io.coffer.conductor.config.ConductorConfig;
import java.time.Clock;

/** Checks every guest report passes before it may touch the database. */
final class ReportChecks {

  private ReportChecks() {}

  /**
   * Why a report is invalid, or {@code null}. Two holes Trove leaves open are closed here: a report
   * without {@code sent} (it would bypass the stale check) and one dated beyond the clock-skew
   * allowance (it would make every later genuine report look stale).
   */
  static String invalid(String instanceId, Double sent, ConductorConfig config, Clock clock) {
    if (instanceId == null || instanceId.isBlank()) {
      return "no instance_id";
    }
    if (sent == null || sent.isNaN() || sent.isInfinite()) {
      return "no valid sent time";
    }
    double now = clock.millis() / 1000.0;
    if (sent > now + config.clockSkew().toMillis() / 1000.0) {
      return "sent "
          + sent
          + " is ahead of the conductor's clock by more than "
          + config.clockSkew();
    }
    return null;
  }
}
