package io.coffer.taskmanager.lifecycle;

import io.coffer.model.status.InstanceTask;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * Instance tasks as operators see them: how long each kind of task took from its start to its end,
 * and whether it completed or failed (ERROR with a fault). A task's message is handled in moments;
 * the task itself (a build, a resize) lasts until the guest reports, which is what this measures.
 */
@ApplicationScoped
public class TaskMetrics {

  private final MeterRegistry registry;

  TaskMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Records the end of {@code task}, started at {@code started} (null when unknown). */
  public void ended(InstanceTask task, boolean completed, Instant started, Instant now) {
    Duration took =
        started == null || now.isBefore(started) ? Duration.ZERO : Duration.between(started, now);
    Timer.builder("coffer.tasks")
        .description(
            "Instance tasks ended, by task and outcome (completed, failed), with durations")
        .tag("task", task.action().toLowerCase(Locale.ROOT))
        .tag("outcome", completed ? "completed" : "failed")
        .register(registry)
        .record(took);
  }
}
