package io.coffer.bus;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import io.coffer.model.routing.Topics;
import io.coffer.model.rpc.MalformedMessageException;
import io.coffer.model.rpc.MessageCodec;
import io.coffer.model.rpc.RemoteFailure;
import io.coffer.model.rpc.Reply;
import io.coffer.model.rpc.RequestContext;
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
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Consumes queues: decodes each message, dispatches it to its handler, replies to calls, and acks
 * only after the handler returned. An undecodable message, an unknown method, or arguments that do
 * not fit go to the dead-letter queue with the reason; a failing cast is retried up to {@link
 * BusConfig#maxAttempts()} and then dead-lettered. The consumer keeps running in every case.
 */
@ApplicationScoped
public class BusConsumers {

  private static final Logger LOG = Logger.getLogger(BusConsumers.class);

  /** Header set on dead letters: why the message could not be handled. */
  public static final String REASON_HEADER = "x-coffer-reason";

  /** Header set on dead letters: the queue the message came from. */
  public static final String QUEUE_HEADER = "x-coffer-queue";

  private static final String DELIVERY_COUNT = "x-delivery-count";

  private final BusConnection bus;
  private final Publisher publisher;
  private final BusMetrics metrics;
  private final Protection protection;
  private final jakarta.enterprise.inject.Instance<DeadLetterListener> listeners;
  private final MessageCodec codec = new MessageCodec();

  BusConsumers(
      BusConnection bus,
      Publisher publisher,
      BusMetrics metrics,
      Protection protection,
      jakarta.enterprise.inject.Instance<DeadLetterListener> listeners) {
    this.bus = bus;
    this.publisher = publisher;
    this.metrics = metrics;
    this.protection = protection;
    this.listeners = listeners;
  }

  private void tellDeadLettered(String queue, io.coffer.model.rpc.Envelope msg, String reason) {
    for (DeadLetterListener l : listeners) {
      try {
        l.deadLettered(queue, msg, reason);
      } catch (RuntimeException e) {
        LOG.errorf(e, "bus: dead-letter listener failed for %s", msg.method());
      }
    }
  }

  /** A running consumer; stop it to cancel its consumers and close its channels. */
  public interface Handle {
    /** Stops consuming; unacknowledged messages return to the queue. */
    void stop();
  }

  /**
   * Declares the queue (with Coffer's arguments) and starts consuming it, now or as soon as the bus
   * connects.
   */
  public Handle start(ConsumerSpec spec, Dispatcher dispatcher) {
    List<Channel> channels = new ArrayList<>();
    bus.whenConnected(connection -> open(connection, spec, dispatcher, channels));
    return () -> {
      synchronized (channels) {
        channels.forEach(Channels::closeQuietly);
        channels.clear();
      }
    };
  }

  private void open(
      Connection connection, ConsumerSpec spec, Dispatcher dispatcher, List<Channel> channels) {
    try {
      for (int i = 0; i < spec.concurrency(); i++) {
        Channel ch = connection.createChannel();
        Topology.declareQueue(ch, bus.config(), spec.queue());
        ch.basicQos(spec.prefetch());
        ch.basicConsume(spec.queue(), false, new QueueConsumer(ch, spec, dispatcher));
        synchronized (channels) {
          channels.add(ch);
        }
      }
      LOG.infof(
          "bus: consuming %s with %d channel(s), methods %s",
          spec.queue(), spec.concurrency(), dispatcher.methods());
    } catch (IOException | RuntimeException e) {
      LOG.errorf(e, "bus: cannot consume %s: %s", spec.queue(), Channels.reason(e));
    }
  }

  private final class QueueConsumer extends DefaultConsumer {
    private final ConsumerSpec spec;
    private final Dispatcher dispatcher;

    QueueConsumer(Channel channel, ConsumerSpec spec, Dispatcher dispatcher) {
      super(channel);
      this.spec = spec;
      this.dispatcher = dispatcher;
    }

    @Override
    public void handleDelivery(
        String consumerTag, Envelope delivery, AMQP.BasicProperties props, byte[] body) {
      Incoming in = new Incoming(getChannel(), delivery, props, body);
      try {
        process(in);
      } catch (RuntimeException e) {
        LOG.errorf(e, "bus: unexpected failure on %s; message returned to the queue", spec.queue());
        in.nack(true);
      } finally {
        MDC.clear();
      }
    }

    @Override
    public void handleCancel(String consumerTag) {
      LOG.warnf("bus: the broker cancelled consumption of %s (queue deleted?)", spec.queue());
    }

    @Override
    public void handleShutdownSignal(String consumerTag, ShutdownSignalException sig) {
      if (!sig.isInitiatedByApplication()) {
        LOG.debugf("bus: consumer of %s stopped: %s", spec.queue(), sig.getMessage());
      }
    }

    private void process(Incoming in) {
      io.coffer.model.rpc.Envelope msg;
      try {
        msg = codec.decode(protection.incoming(spec.queue(), in.body));
      } catch (MalformedMessageException e) {
        reject(in, null, "undecodable", "undecodable message: " + e.getMessage());
        return;
      } catch (KeyUnavailableException e) {
        LOG.warnf("bus: message on %s waits: %s", spec.queue(), e.getMessage());
        sleep(bus.config().retryBackoff());
        in.nack(true);
        metrics.consumed(spec.queue(), "-", "retry");
        return;
      } catch (RefusedMessageException e) {
        // no reply: a refused call learns nothing, its caller times out
        metrics.refused(spec.queue(), e.reason());
        reject(in, null, "refused", e.getMessage());
        return;
      }
      MDC.put("method", msg.method());
      if (msg.context().requestId() != null) {
        MDC.put("requestId", msg.context().requestId());
      }
      var instanceId = msg.args().get("instance_id");
      if (instanceId != null && instanceId.isTextual()) {
        MDC.put("instanceId", instanceId.asText());
      } else if (Topics.isGuest(spec.queue())) {
        MDC.put("instanceId", Topics.instanceOf(spec.queue()));
      }
      MessageHandler<?, ?> handler = dispatcher.handler(msg.method()).orElse(null);
      if (handler == null) {
        reject(in, msg, "unknown", "method " + msg.method() + " is not handled on " + spec.queue());
        return;
      }
      Object args;
      try {
        args = codec.args(msg, handler.method());
      } catch (MalformedMessageException e) {
        reject(in, msg, "malformed", e.getMessage());
        return;
      }
      long start = System.nanoTime();
      try {
        Object result = invoke(handler, msg.context(), args);
        if (msg.isCall()) {
          reply(msg, codec.success(msg, result));
        }
        in.ack();
        metrics.consumed(spec.queue(), msg.method(), "ok");
      } catch (PermanentFailure e) {
        reject(in, msg, "rejected", e.getMessage());
      } catch (Exception e) {
        failed(in, msg, e);
      } finally {
        metrics.handled(spec.queue(), msg.method(), Duration.ofNanos(System.nanoTime() - start));
      }
    }

    private void failed(Incoming in, io.coffer.model.rpc.Envelope msg, Exception e) {
      if (msg.isCall()) {
        LOG.debugf("bus: %s failed: %s", msg.method(), e.getMessage());
        reply(msg, codec.failure(msg, failureOf(e)));
        in.ack();
        metrics.consumed(spec.queue(), msg.method(), "failure");
        return;
      }
      int attempt = in.attempt();
      if (spec.retryCasts() && attempt < bus.config().maxAttempts()) {
        LOG.warnf(
            "bus: %s failed (attempt %d of %d), will retry: %s",
            msg.method(), attempt, bus.config().maxAttempts(), e.getMessage());
        sleep(bus.config().retryBackoff().multipliedBy(attempt));
        in.nack(true);
        metrics.consumed(spec.queue(), msg.method(), "retry");
        return;
      }
      LOG.errorf(e, "bus: %s failed after %d attempt(s), dead-lettered", msg.method(), attempt);
      String reason = "failed after " + attempt + " attempt(s): " + e.getMessage();
      deadLetter(in, reason);
      metrics.consumed(spec.queue(), msg.method(), "dead-lettered");
      tellDeadLettered(spec.queue(), msg, reason);
    }

    private void reject(
        Incoming in, io.coffer.model.rpc.Envelope msg, String outcome, String reason) {
      LOG.warnf("bus: %s on %s dead-lettered: %s", outcome, spec.queue(), reason);
      if (msg != null && msg.isCall()) {
        reply(msg, codec.failure(msg, RemoteFailure.of("MessageRejected", reason)));
      }
      deadLetter(in, reason);
      metrics.consumed(spec.queue(), msg == null ? "-" : msg.method(), outcome);
      if (msg != null && !msg.isCall()) {
        tellDeadLettered(spec.queue(), msg, reason);
      }
    }

    private void deadLetter(Incoming in, String reason) {
      Map<String, Object> headers = new HashMap<>();
      if (in.props.getHeaders() != null) {
        headers.putAll(in.props.getHeaders());
      }
      headers.put(REASON_HEADER, reason);
      headers.put(QUEUE_HEADER, spec.queue());
      AMQP.BasicProperties props = in.props.builder().headers(headers).expiration(null).build();
      try {
        publisher.publish(Topics.DEAD_LETTER, in.delivery.getRoutingKey(), false, props, in.body);
        in.ack();
      } catch (BusException e) {
        LOG.warnf("bus: cannot dead-letter (%s); message returned to the queue", e.getMessage());
        in.nack(true);
      }
    }

    private void reply(io.coffer.model.rpc.Envelope call, Reply reply) {
      String exchange = bus.config().replyExchange().orElse("");
      if (!exchange.isEmpty() && !Topics.isReplyQueue(call.replyQueue())) {
        // the broker lets this process reply only to reply queues; anything else would be refused
        LOG.warnf("bus: no reply to %s: %s is not a reply queue", call.method(), call.replyQueue());
        return;
      }
      AMQP.BasicProperties props =
          new AMQP.BasicProperties.Builder()
              .contentType("application/json")
              .contentEncoding("utf-8")
              .deliveryMode(2)
              .correlationId(call.msgId())
              .build();
      try {
        publisher.publish(
            exchange,
            call.replyQueue(),
            false,
            props,
            protection.outgoingReply(spec.queue(), codec.encodeReply(reply)));
      } catch (BusException e) {
        LOG.warnf("bus: reply to %s lost: %s", call.method(), e.getMessage());
      }
    }
  }

  private static RemoteFailure failureOf(Exception e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    String name =
        e instanceof RemoteFailureSource s ? s.remoteClass() : e.getClass().getSimpleName();
    return RemoteFailure.of(name, message);
  }

  @SuppressWarnings("unchecked")
  private static <A, R> Object invoke(MessageHandler<A, R> handler, RequestContext ctx, Object args)
      throws Exception {
    ManagedContext requestContext = Arc.container().requestContext();
    boolean activated = !requestContext.isActive();
    if (activated) {
      requestContext.activate();
    }
    try {
      return handler.handle(ctx, (A) args);
    } finally {
      if (activated) {
        requestContext.terminate();
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

  /** An exception that names the class the remote caller should see (e.g. {@code GuestError}). */
  public interface RemoteFailureSource {
    /** The exception class name put in the reply's failure. */
    String remoteClass();
  }

  private static final class Incoming {
    final Channel channel;
    final Envelope delivery;
    final AMQP.BasicProperties props;
    final byte[] body;

    Incoming(Channel channel, Envelope delivery, AMQP.BasicProperties props, byte[] body) {
      this.channel = channel;
      this.delivery = delivery;
      this.props = props;
      this.body = body;
    }

    /** 1 for a first delivery; quorum queues count earlier deliveries in a header. */
    int attempt() {
      Map<String, Object> h = props.getHeaders();
      Object count = h == null ? null : h.get(DELIVERY_COUNT);
      if (count instanceof Number n) {
        return n.intValue() + 1;
      }
      return delivery.isRedeliver() ? 2 : 1;
    }

    void ack() {
      try {
        channel.basicAck(delivery.getDeliveryTag(), false);
      } catch (IOException | RuntimeException e) {
        LOG.warnf("bus: ack failed (%s); the message will be redelivered", e.getMessage());
      }
    }

    void nack(boolean requeue) {
      try {
        channel.basicNack(delivery.getDeliveryTag(), false, requeue);
      } catch (IOException | RuntimeException e) {
        LOG.warnf("bus: nack failed (%s); the message will be redelivered", e.getMessage());
      }
    }
  }
}
