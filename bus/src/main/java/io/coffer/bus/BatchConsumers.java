package io.coffer.bus;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.coffer.model.routing.Topics;
import io.coffer.model.rpc.MalformedMessageException;
import io.coffer.model.rpc.MessageCodec;
import io.coffer.model.secure.KeyUnavailableException;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ManagedContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Consumes a queue in batches: each channel gathers up to {@code batchSize} deliveries (waiting at
 * most {@code maxWait} after the first), hands them to a {@link BatchHandler}, and acknowledges
 * them only once the handler returned — so a crash loses nothing that was acknowledged. Messages
 * that cannot be decoded or that the handler rejects go to the dead-letter queue with the reason.
 */
@ApplicationScoped
public class BatchConsumers {

  private static final Logger LOG = Logger.getLogger(BatchConsumers.class);
  private static final String DELIVERY_COUNT = "x-delivery-count";

  private final BusConnection bus;
  private final Publisher publisher;
  private final BusMetrics metrics;
  private final Protection protection;
  private final MessageCodec codec = new MessageCodec();

  BatchConsumers(
      BusConnection bus, Publisher publisher, BusMetrics metrics, Protection protection) {
    this.bus = bus;
    this.publisher = publisher;
    this.metrics = metrics;
    this.protection = protection;
  }

  /**
   * How to consume in batches.
   *
   * @param queue the queue (= topic)
   * @param concurrency channels, each with its own batching thread
   * @param batchSize largest batch
   * @param maxWait longest wait for a batch to fill after its first message
   */
  public record Spec(String queue, int concurrency, int batchSize, Duration maxWait) {}

  /** Starts consuming; returns a handle that stops it. */
  public BusConsumers.Handle start(Spec spec, BatchHandler handler) {
    List<Worker> workers = new ArrayList<>();
    bus.whenConnected(c -> open(c, spec, handler, workers));
    return () -> {
      synchronized (workers) {
        workers.forEach(Worker::stop);
        workers.clear();
      }
    };
  }

  private void open(Connection connection, Spec spec, BatchHandler handler, List<Worker> workers) {
    try {
      for (int i = 0; i < spec.concurrency(); i++) {
        Channel ch = connection.createChannel();
        Topology.declareQueue(ch, bus.config(), spec.queue());
        // room for one batch being handled and the next one filling
        ch.basicQos(spec.batchSize() * 2);
        Worker w = new Worker(ch, spec, handler);
        ch.basicConsume(spec.queue(), false, w.consumer());
        Thread t = new Thread(w::run, "coffer-batch-" + spec.queue() + "-" + i);
        t.setDaemon(true);
        t.start();
        synchronized (workers) {
          workers.add(w);
        }
      }
      LOG.infof(
          "bus: consuming %s in batches of up to %d with %d channel(s)",
          spec.queue(), spec.batchSize(), spec.concurrency());
    } catch (IOException | RuntimeException e) {
      LOG.errorf(e, "bus: cannot consume %s: %s", spec.queue(), Channels.reason(e));
    }
  }

  private record Delivery(
      Channel channel, Envelope envelope, AMQP.BasicProperties props, byte[] body) {
    int attempt() {
      Map<String, Object> h = props.getHeaders();
      Object count = h == null ? null : h.get(DELIVERY_COUNT);
      return count instanceof Number n ? n.intValue() + 1 : (envelope.isRedeliver() ? 2 : 1);
    }
  }

  private final class Worker {
    private final Channel channel;
    private final Spec spec;
    private final BatchHandler handler;
    private final BlockingQueue<Delivery> inbox = new LinkedBlockingQueue<>();
    private volatile boolean running = true;

    Worker(Channel channel, Spec spec, BatchHandler handler) {
      this.channel = channel;
      this.spec = spec;
      this.handler = handler;
    }

    DefaultConsumer consumer() {
      return new DefaultConsumer(channel) {
        @Override
        public void handleDelivery(
            String tag, Envelope env, AMQP.BasicProperties props, byte[] body) {
          inbox.add(new Delivery(getChannel(), env, props, body));
        }
      };
    }

    void stop() {
      running = false;
      Channels.closeQuietly(channel);
    }

    void run() {
      List<Delivery> batch = new ArrayList<>(spec.batchSize());
      while (running) {
        try {
          Delivery first = inbox.poll(1, TimeUnit.SECONDS);
          if (first == null) {
            continue;
          }
          batch.add(first);
          long deadline = System.nanoTime() + spec.maxWait().toNanos();
          while (batch.size() < spec.batchSize()) {
            long left = deadline - System.nanoTime();
            Delivery next = left <= 0 ? inbox.poll() : inbox.poll(left, TimeUnit.NANOSECONDS);
            if (next == null) {
              break;
            }
            batch.add(next);
          }
          process(batch);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        } catch (RuntimeException e) {
          LOG.errorf(e, "bus: batch on %s failed unexpectedly", spec.queue());
        } finally {
          batch.clear();
        }
      }
    }

    private void process(List<Delivery> batch) {
      List<io.coffer.model.rpc.Envelope> decoded = new ArrayList<>(batch.size());
      List<Delivery> kept = new ArrayList<>(batch.size());
      Map<Delivery, String> rejected = new HashMap<>();
      for (Delivery d : batch) {
        try {
          decoded.add(codec.decode(protection.incoming(spec.queue(), d.body())));
          kept.add(d);
        } catch (KeyUnavailableException e) {
          // the key is not readable now (database down): the whole batch waits and is retried
          retryOrDeadLetter(batch, e);
          return;
        } catch (MalformedMessageException e) {
          rejected.put(d, "undecodable message: " + e.getMessage());
          metrics.consumed(spec.queue(), "-", "undecodable");
        } catch (RefusedMessageException e) {
          LOG.warnf("bus: refused on %s: %s", spec.queue(), e.getMessage());
          rejected.put(d, e.getMessage());
          metrics.refused(spec.queue(), e.reason());
          metrics.consumed(spec.queue(), "-", "refused");
        }
      }
      if (!decoded.isEmpty()) {
        long start = System.nanoTime();
        try {
          List<BatchHandler.Result> results = invoke(decoded);
          for (int i = 0; i < kept.size(); i++) {
            boolean reject = results.get(i).outcome() == BatchHandler.Outcome.REJECT;
            if (reject) {
              rejected.put(kept.get(i), results.get(i).reason());
            }
            metrics.consumed(spec.queue(), decoded.get(i).method(), reject ? "rejected" : "done");
          }
        } catch (Exception e) {
          retryOrDeadLetter(kept, e);
          // what could not be decoded is settled apart from the failed batch
          rejected.forEach(this::deadLetter);
          return;
        } finally {
          metrics.handled(spec.queue(), "batch", Duration.ofNanos(System.nanoTime() - start));
        }
      }
      settle(batch, rejected);
    }

    /** Dead-letters the rejected messages, then acknowledges the whole batch at once. */
    private void settle(List<Delivery> batch, Map<Delivery, String> rejected) {
      java.util.Set<Delivery> unsettled = new java.util.HashSet<>();
      for (Map.Entry<Delivery, String> r : rejected.entrySet()) {
        if (!publishDeadLetter(r.getKey(), r.getValue())) {
          unsettled.add(r.getKey());
        }
      }
      if (unsettled.isEmpty()) {
        // the batch is a contiguous run of this channel's deliveries, every earlier one settled:
        // one ack covers it
        long last = batch.get(batch.size() - 1).envelope().getDeliveryTag();
        try {
          channel.basicAck(last, true);
        } catch (IOException | RuntimeException e) {
          LOG.warnf("bus: ack failed (%s); the batch will be redelivered", e.getMessage());
        }
        return;
      }
      for (Delivery d : batch) {
        if (unsettled.contains(d)) {
          nack(d);
        } else {
          ack(d);
        }
      }
    }

    private List<BatchHandler.Result> invoke(List<io.coffer.model.rpc.Envelope> decoded)
        throws Exception {
      ManagedContext rc = Arc.container().requestContext();
      rc.activate();
      try {
        List<BatchHandler.Result> results = handler.handle(decoded);
        if (results.size() != decoded.size()) {
          throw new IllegalStateException(
              "batch handler returned " + results.size() + " results for " + decoded.size());
        }
        return results;
      } finally {
        rc.terminate();
      }
    }

    private void retryOrDeadLetter(List<Delivery> kept, Exception e) {
      LOG.warnf(
          "bus: a batch of %d on %s failed, returned to the queue: %s",
          kept.size(), spec.queue(), e.getMessage());
      for (Delivery d : kept) {
        if (d.attempt() >= bus.config().maxAttempts()) {
          deadLetter(d, "failed after " + d.attempt() + " attempt(s): " + e.getMessage());
        } else {
          nack(d);
        }
      }
      sleep(bus.config().retryBackoff());
    }

    private boolean publishDeadLetter(Delivery d, String reason) {
      Map<String, Object> headers = new HashMap<>();
      if (d.props().getHeaders() != null) {
        headers.putAll(d.props().getHeaders());
      }
      headers.put(BusConsumers.REASON_HEADER, reason);
      headers.put(BusConsumers.QUEUE_HEADER, spec.queue());
      try {
        publisher.publish(
            Topics.DEAD_LETTER,
            d.envelope().getRoutingKey(),
            false,
            d.props().builder().headers(headers).expiration(null).build(),
            d.body());
        return true;
      } catch (BusException ex) {
        LOG.warnf("bus: cannot dead-letter (%s); message returned to the queue", ex.getMessage());
        return false;
      }
    }

    private void deadLetter(Delivery d, String reason) {
      if (publishDeadLetter(d, reason)) {
        ack(d);
      } else {
        nack(d);
      }
    }

    private void ack(Delivery d) {
      try {
        d.channel().basicAck(d.envelope().getDeliveryTag(), false);
      } catch (IOException | RuntimeException e) {
        LOG.warnf("bus: ack failed (%s); the message will be redelivered", e.getMessage());
      }
    }

    private void nack(Delivery d) {
      try {
        d.channel().basicNack(d.envelope().getDeliveryTag(), false, true);
      } catch (IOException | RuntimeException e) {
        LOG.warnf("bus: nack failed (%s); the message will be redelivered", e.getMessage());
      }
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
