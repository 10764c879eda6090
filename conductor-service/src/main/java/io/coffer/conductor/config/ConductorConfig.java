package io.coffer.conductor.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of the conductor, under {@code coffer.conductor}. */
@ConfigMapping(prefix = "coffer.conductor")
public interface ConductorConfig {

  /** Channels consuming the conductor queue in parallel, each writing its own batches. */
  @WithDefault("2")
  int consumers();

  /** Most reports written per transaction (the prefetch is twice this, per channel). */
  @WithDefault("200")
  int batchSize();

  /** Longest wait for a batch to fill after its first report. */
  @WithDefault("20ms")
  Duration batchMaxWait();

  /**
   * How far in the future a report's {@code sent} may be before it is rejected. A report dated far
   * ahead would make every later genuine report look stale.
   */
  @WithDefault("60s")
  Duration clockSkew();

  /** Age of the last heartbeat after which a guest counts as silent (Trove's 90 s). */
  @WithDefault("90s")
  Duration heartbeatExpiry();

  /** How often silent guests are counted. */
  @WithDefault("10s")
  String silentCheckInterval();
}
