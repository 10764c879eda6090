package io.coffer.api.outbox;

import io.coffer.bus.BusClient;
import io.coffer.bus.BusException;
import io.coffer.model.rpc.MessageCodec;
import io.coffer.persistence.entity.OutboxEntity;
import io.coffer.persistence.repository.OutboxRepository;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Publishes outbox rows: each one right after its transaction commits, and whatever is left (the
 * broker was down) by a periodic sweep, oldest first. Rows are locked while published, so several
 * API processes never send one row twice; a row is deleted only after the broker confirmed it.
 */
@ApplicationScoped
class OutboxDispatcher {

  private static final int BATCH = 100;

  private final OutboxRepository outbox;
  private final BusClient bus;
  private final MessageCodec codec = new MessageCodec();

  OutboxDispatcher(OutboxRepository outbox, BusClient bus, MeterRegistry registry) {
    this.outbox = outbox;
    this.bus = bus;
    registry.gauge("coffer.api.outbox.depth", this, OutboxDispatcher::depth);
  }

  void afterCommit(@Observes(during = TransactionPhase.AFTER_SUCCESS) OutboxWritten written) {
    try {
      publish(List.of(written.id()));
    } catch (RuntimeException e) {
      Log.warnf("task %d stays in the outbox: %s", written.id(), e.getMessage());
    }
  }

  @Scheduled(
      every = "${coffer.api.outbox-interval:2s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void sweep() {
    publish(null);
  }

  /** Publishes the given rows (or the oldest pending ones when {@code ids} is null). */
  @Transactional
  void publish(List<Long> ids) {
    List<OutboxEntity> rows =
        ids == null
            ? outbox
                .find("order by id")
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .withHint("jakarta.persistence.lock.timeout", -2)
                .page(0, BATCH)
                .list()
            : outbox
                .find("id in ?1", ids)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .withHint("jakarta.persistence.lock.timeout", -2)
                .list();
    for (OutboxEntity row : rows) {
      try {
        byte[] body = row.body.getBytes(StandardCharsets.UTF_8);
        bus.castEncoded(row.topic, row.method, codec.decode(body).uniqueId(), body);
        outbox.delete(row);
      } catch (BusException e) {
        row.attempts++;
        row.lastError = e.getMessage();
        if (row.attempts == 1 || row.attempts % 30 == 0) {
          Log.warnf("task %s (%d) not published yet: %s", row.method, row.id, e.getMessage());
        }
        // keep the order: later tasks wait for this one
        return;
      }
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
