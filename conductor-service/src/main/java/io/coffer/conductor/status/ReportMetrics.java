package io.coffer.conductor.status;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/** Counts guest reports by method and outcome ({@code coffer_conductor_reports_total}). */
@ApplicationScoped
public class ReportMetrics {

  private final MeterRegistry registry;

  ReportMetrics(MeterRegistry registry) {
    this.registry = registry;
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
}
