package io.coffer.model.rpc;

import java.time.Duration;

/**
 * Deadline class of a call, mirroring Trove's guest agent timeouts. Each service may configure the
 * actual durations; the defaults are Trove's.
 */
public enum TimeoutClass {
  /** Casts have no deadline. */
  NONE(Duration.ZERO),
  /** Quick guest queries ({@code agent_call_low_timeout}, 15 s). */
  LOW(Duration.ofSeconds(15)),
  /** Guest work that touches the database server ({@code agent_call_high_timeout}, 180 s). */
  HIGH(Duration.ofSeconds(180)),
  /** Replication snapshots ({@code agent_replication_snapshot_timeout}, 1800 s). */
  SNAPSHOT(Duration.ofSeconds(1800));

  private final Duration defaultTimeout;

  TimeoutClass(Duration defaultTimeout) {
    this.defaultTimeout = defaultTimeout;
  }

  /** Trove's default deadline for this class. */
  public Duration defaultTimeout() {
    return defaultTimeout;
  }
}
