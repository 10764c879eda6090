package io.coffer.conductor.status;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * The conductor's metrics: reports by method and outcome, batch sizes, and the end-to-end lag from
 * a guest's {@code sent} to the commit that stored it.
 */
@ApplicationScoped
public class ReportMetrics {

  private final MeterRegistry registry;
  private final DistributionSummary batchSize;
  private final Timer lag;

  ReportMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.batchSize =
        DistributionSummary.builder("coffer.conductor.batch.size")
            .description("Reports written per transaction")
            .publishPercentiles(0.5, 0.99)
            .register(registry);
    this.lag =
        Timer.builder("coffer.conductor.lag")
            .description("Time from a guest sending a report to its commit")
            .publishPercentiles(0.5, 0.99)
            // buckets too, so percentiles over any interval can be computed from two scrapes
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofSeconds(60))
            .serviceLevelObjectives(
                Duration.ofMillis(10),
                Duration.ofMillis(25),
                Duration.ofMillis(50),
                Duration.ofMillis(100),
                Duration.ofMillis(150),
                Duration.ofMillis(200),
                Duration.ofMillis(250),
                Duration.ofMillis(300),
                Duration.ofMillis(500),
                Duration.ofSeconds(1))
            .distributionStatisticExpiry(Duration.ofSeconds(30))
            .distributionStatisticBufferLength(2)
            .register(registry);
  }

  /** Counts one report received and what became of it. */
  public void count(String method, ReportOutcome outcome) {
    Counter.builder("coffer.conductor.reports")
        .description("Guest reports by method and outcome (accepted, stale, unknown, invalid)")
        .tag("method", method)
        .tag("outcome", outcome.name().toLowerCase())
        .register(registry)
        .increment();
  }

  /** Records the size of a committed batch. */
  public void batch(int size) {
    batchSize.record(size);
  }

  /** Records the lag of a report committed at {@code committedMillis}. */
  public void lag(double sentSeconds, long committedMillis) {
    long millis = committedMillis - (long) (sentSeconds * 1000);
    lag.record(Duration.ofMillis(Math.max(0, millis)));
  }
}
