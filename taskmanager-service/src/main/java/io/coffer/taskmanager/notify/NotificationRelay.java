package io.coffer.taskmanager.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.rabbitmq.OutgoingRabbitMQMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * Sends the notification outbox to the notification bus through SmallRye Reactive Messaging's
 * RabbitMQ connector (channel {@code notifications}, publisher confirms on): each row, in order, to
 * every configured topic as {@code <topic>.<priority>}, wrapped in oslo.messaging's v2 envelope. A
 * row is deleted only once the broker confirmed it on every topic; when the broker is away it
 * stays, with the rows after it, until the next attempt. Rows are locked while sent ({@code SKIP
 * LOCKED}), so several taskmanagers never send one twice.
 */
@ApplicationScoped
public class NotificationRelay {

  private static final int BATCH = 100;
  private static final long CONFIRM_SECONDS = 5;
  private static final long ABANDON_SECONDS = 20;

  private final NotificationConfig config;
  private final DataSource db;
  private final Emitter<String> emitter;
  private final ObjectMapper json = new ObjectMapper();
  private final Counter sent;
  private final Counter failed;
  private final AtomicBoolean pending = new AtomicBoolean();
  private final java.util.Map<String, InFlight> inFlight =
      new java.util.concurrent.ConcurrentHashMap<>();
  private ScheduledExecutorService timer;

  NotificationRelay(
      NotificationConfig config,
      DataSource db,
      @Channel("notifications") @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER)
          Emitter<String> emitter,
      MeterRegistry registry) {
    this.config = config;
    this.db = db;
    this.emitter = emitter;
    this.sent =
        Counter.builder("coffer_notifications_sent")
            .description("Notifications the broker confirmed")
            .register(registry);
    this.failed =
        Counter.builder("coffer_notifications_failed")
            .description("Attempts to send a notification that the broker did not confirm")
            .register(registry);
  }

  void onStart(@Observes StartupEvent event) {
    if (!config.enabled()) {
      return;
    }
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "coffer-notifications");
              t.setDaemon(true);
              return t;
            });
    long every = config.relayInterval().toMillis();
    timer.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
  }

  void onStop(@Observes ShutdownEvent event) {
    if (timer != null) {
      timer.shutdownNow();
    }
  }

  /** Asks for a send soon (a notification was just written). */
  public void wake() {
    ScheduledExecutorService t = timer;
    if (t != null && pending.compareAndSet(false, true)) {
      t.schedule(
          () -> {
            pending.set(false);
            sweep();
          },
          100,
          TimeUnit.MILLISECONDS);
    }
  }

  private record Row(long id, String priority, String body) {}

  /** Sends what the outbox holds, oldest first, until it is empty or the broker fails. */
  void sweep() {
    try {
      while (sendBatch() == BATCH) {
        // a full batch: there may be more
      }
    } catch (RuntimeException | SQLException e) {
      Log.warnf("notifications not sent yet: %s", e.getMessage());
    }
  }

  private int sendBatch() throws SQLException {
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false);
      List<Row> rows = new ArrayList<>();
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT id, priority, body FROM notification_outbox ORDER BY id"
                  + " LIMIT ? FOR UPDATE SKIP LOCKED")) {
        ps.setInt(1, BATCH);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            rows.add(new Row(rs.getLong(1), rs.getString(2), rs.getString(3)));
          }
        }
      }
      int done = 0;
      try {
        for (Row row : rows) {
          String envelope = envelope(row.body());
          for (String topic : config.topics()) {
            publish(row.id(), topic + "." + row.priority().toLowerCase(Locale.ROOT), envelope);
          }
          try (PreparedStatement del =
              c.prepareStatement("DELETE FROM notification_outbox WHERE id = ?")) {
            del.setLong(1, row.id());
            del.executeUpdate();
          }
          // each confirmed row is gone for good, whatever happens to the next one
          c.commit();
          sent.increment();
          done++;
        }
      } catch (RuntimeException e) {
        failed.increment();
        if (done < rows.size()) {
          Row row = rows.get(done);
          try (PreparedStatement upd =
              c.prepareStatement(
                  "UPDATE notification_outbox SET attempts = attempts + 1, last_error = ?"
                      + " WHERE id = ?")) {
            upd.setString(1, String.valueOf(e.getMessage()));
            upd.setLong(2, row.id());
            upd.executeUpdate();
          }
        }
        c.commit();
        throw e;
      }
      c.commit();
      return rows.size();
    }
  }

  /** oslo.messaging's v2 envelope around a notification. */
  private String envelope(String body) {
    try {
      ObjectNode e = json.createObjectNode();
      e.put("oslo.version", "2.0");
      e.put("oslo.message", body);
      return json.writeValueAsString(e);
    } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
      throw new IllegalStateException(ex);
    }
  }

  /**
   * Sends one message and waits for the broker's confirm. A message still unconfirmed when the wait
   * ends stays in flight for a while (the connector may deliver it once the broker is back): the
   * next sweep waits for that one instead of sending the row again. One unconfirmed for longer than
   * {@link #ABANDON_SECONDS} is sent again — the connector drops what it could not publish while
   * disconnected without saying so — with the same {@code message_id}, so that a consumer can
   * recognise the rare repeat of one whose confirm alone was lost.
   */
  private void publish(long rowId, String routingKey, String envelope) {
    String key = rowId + "/" + routingKey;
    InFlight current = inFlight.get(key);
    if (current != null && current.since() < System.nanoTime() - ABANDON_SECONDS * 1_000_000_000L) {
      Log.infof(
          "notification %d to %s unconfirmed for %d s: sending it again",
          rowId, routingKey, ABANDON_SECONDS);
      inFlight.remove(key);
    }
    InFlight sending =
        inFlight.computeIfAbsent(
            key, k -> new InFlight(send(routingKey, envelope), System.nanoTime()));
    try {
      sending.confirmed().get(CONFIRM_SECONDS, TimeUnit.SECONDS);
      inFlight.remove(key);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException(
          "the broker did not confirm within " + CONFIRM_SECONDS + " s");
    } catch (java.util.concurrent.ExecutionException e) {
      inFlight.remove(key);
      throw new IllegalStateException("the broker refused: " + e.getCause().getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private record InFlight(CompletableFuture<Void> confirmed, long since) {}

  private CompletableFuture<Void> send(String routingKey, String envelope) {
    CompletableFuture<Void> confirmed = new CompletableFuture<>();
    OutgoingRabbitMQMetadata metadata =
        OutgoingRabbitMQMetadata.builder()
            .withRoutingKey(routingKey)
            .withContentType("application/json")
            .withContentEncoding("utf-8")
            .withDeliveryMode(2)
            .build();
    emitter.send(
        Message.of(envelope)
            .addMetadata(metadata)
            .withAck(
                () -> {
                  confirmed.complete(null);
                  return CompletableFuture.completedFuture(null);
                })
            .withNack(
                t -> {
                  confirmed.completeExceptionally(t);
                  return CompletableFuture.completedFuture(null);
                }));
    return confirmed;
  }
}
