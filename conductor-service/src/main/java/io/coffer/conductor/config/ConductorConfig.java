package io.coffer.conductor.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of the conductor, under {@code coffer.conductor}. */
@ConfigMapping(prefix = "coffer.conductor")
public interface ConductorConfig {

  /** Channels consuming the conductor queue in parallel. */
  @WithDefault("2")
  int consumers();

  /** Unacknowledged messages per channel. */
  @WithDefault("32")
  int prefetch();

  /**
   * How far in the future a report's {@code sent} may be before it is rejected. A report dated far
   * ahead would make every later genuine report look stale.
   */
  @WithDefault("60s")
  Duration clockSkew();

  /** Age of the last heartbeat after which a guest counts as silent (Trove's 90 s). */
  @WithDefault("90s")
  Duration heartbeatExpiry();
}
