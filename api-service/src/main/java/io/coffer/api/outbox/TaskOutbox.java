package io.coffer.api.outbox;

import io.coffer.bus.BusConfig;
import io.coffer.model.rpc.Envelope;
import io.coffer.model.rpc.MessageCodec;
import io.coffer.model.rpc.Method;
import io.coffer.model.rpc.RequestContext;
import io.coffer.persistence.entity.OutboxEntity;
import io.coffer.persistence.repository.OutboxRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/**
 * The taskmanager's API as the API service uses it (Trove's {@code taskmanager/api.py}). A cast is
 * written to {@code task_outbox} in the caller's transaction and published after it commits: a task
 * is sent if and only if its decision is committed, and waits in the outbox while the broker is
 * unreachable.
 */
@ApplicationScoped
public class TaskOutbox {

  private final OutboxRepository outbox;
  private final Event<OutboxWritten> written;
  private final BusConfig bus;
  private final Clock clock;
  private final MessageCodec codec = new MessageCodec();

  TaskOutbox(OutboxRepository outbox, Event<OutboxWritten> written, BusConfig bus, Clock clock) {
    this.outbox = outbox;
    this.written = written;
    this.bus = bus;
    this.clock = clock;
  }

  /** Queues a cast to the taskmanager; must run inside the decision's transaction. */
  @Transactional(Transactional.TxType.MANDATORY)
  public <A> void cast(Method<A, ?> method, RequestContext context, A args) {
    Envelope envelope = codec.cast(method, context, args);
    OutboxEntity row = new OutboxEntity();
    row.created = clock.instant();
    row.topic = bus.taskmanagerTopic();
    row.method = method.name();
    row.body = new String(codec.encode(envelope), StandardCharsets.UTF_8);
    outbox.persist(row);
    outbox.flush();
    written.fire(new OutboxWritten(row.id));
  }
}
