package io.coffer.api.outbox;

import io.coffer.persistence.repository.OutboxRepository;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.util.List;

/**
 * Publishes outbox rows: each one right after its transaction commits, and whatever is left (the
 * broker was down) by a periodic sweep, oldest first.
 */
@ApplicationScoped
class OutboxDispatcher {

  private final OutboxPublisher publisher;
  private final OutboxRepository outbox;

  OutboxDispatcher(OutboxPublisher publisher, OutboxRepository outbox, MeterRegistry registry) {
    this.publisher = publisher;
    this.outbox = outbox;
    registry.gauge("coffer.api.outbox.depth", this, OutboxDispatcher::depth);
  }

  void afterCommit(@Observes(during = TransactionPhase.AFTER_SUCCESS) OutboxWritten written) {
    try {
      publisher.publish(List.of(written.id()));
    } catch (RuntimeException e) {
      Log.warnf("task %d stays in the outbox: %s", written.id(), e.getMessage());
    }
  }

  @Scheduled(
      every = "${coffer.api.outbox-interval}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void sweep() {
    try {
      publisher.publish(null);
    } catch (RuntimeException e) {
      Log.warnf("outbox sweep failed: %s", e.getMessage());
    }
  }

  private double depth() {
    try {
      return QuarkusTransaction.requiringNew().call(outbox::count);
    } catch (RuntimeException e) {
      return Double.NaN;
    }
  }
}
