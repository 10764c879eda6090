package io.coffer.api.outbox;

import io.coffer.bus.BusClient;
import io.coffer.bus.BusException;
import io.coffer.model.rpc.MessageCodec;
import io.coffer.persistence.entity.OutboxEntity;
import io.coffer.persistence.repository.OutboxRepository;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Sends outbox rows to the broker. Rows are locked ({@code SKIP LOCKED}) while published, so
 * several API processes never send one row twice; a row is deleted only after the broker confirmed
 * it, and a failure keeps it (and the rows after it) for the next sweep.
 */
@ApplicationScoped
class OutboxPublisher {

  private static final int BATCH = 100;
  private static final String SKIP_LOCKED = "jakarta.persistence.lock.timeout";

  private final OutboxRepository outbox;
  private final BusClient bus;
  private final MessageCodec codec = new MessageCodec();

  OutboxPublisher(OutboxRepository outbox, BusClient bus) {
    this.outbox = outbox;
    this.bus = bus;
  }

  /** Publishes the given rows, or the oldest pending ones when {@code ids} is null. */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  void publish(List<Long> ids) {
    List<OutboxEntity> rows =
        (ids == null ? outbox.find("order by id") : outbox.find("id in ?1 order by id", ids))
            .withLock(LockModeType.PESSIMISTIC_WRITE)
            .withHint(SKIP_LOCKED, -2)
            .page(0, BATCH)
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
}
