package io.coffer.bus;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.coffer.model.routing.Topics;
import io.coffer.model.rpc.MalformedMessageException;
import io.coffer.model.rpc.MessageCodec;
import io.coffer.model.rpc.Method;
import io.coffer.model.rpc.Reply;
import io.coffer.model.rpc.RequestContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Duration;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Sends Trove RPC messages on the one topic exchange: casts (persistent, confirmed by the broker)
 * and calls (request/reply through this process's private reply queue, with an AMQP expiration and
 * a client-side deadline). Typed per-daemon clients build on it.
 */
@ApplicationScoped
public class BusClient {

  private static final Logger LOG = Logger.getLogger(BusClient.class);

  private final BusConnection bus;
  private final Publisher publisher;
  private final Topology topology;
  private final BusMetrics metrics;
  private final Protection protection;
  private final MessageCodec codec = new MessageCodec();
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private final String replyQueue = Topics.newReplyQueue();
  private volatile boolean replyQueueReady;

  BusClient(
      BusConnection bus,
      Publisher publisher,
      Topology topology,
      BusMetrics metrics,
      Protection protection) {
    this.bus = bus;
    this.publisher = publisher;
    this.topology = topology;
    this.metrics = metrics;
    this.protection = protection;
  }

  /** A call waiting for its reply, and where it went (whose key its reply must carry). */
  private record Pending(String topic, CompletableFuture<Reply> future) {}

  /** The codec this client encodes with. */
  public MessageCodec codec() {
    return codec;
  }

  /**
   * Casts {@code method} to {@code topic}. Returns once the broker has the message.
   *
   * @throws BusException when the message could not be handed to the broker
   */
  public <A> void cast(String topic, Method<A, ?> method, RequestContext context, A args) {
    if (method.isCall()) {
      throw new IllegalArgumentException(method.name() + " is a call");
    }
    if (!Topics.isGuest(topic) && bus.config().declareTopology()) {
      topology.ensureServiceQueue(topic);
    }
    io.coffer.model.rpc.Envelope envelope = codec.cast(method, context, args);
    String outcome = "error";
    try {
      publisher.publish(
          bus.config().exchange(),
          topic,
          true,
          properties(envelope, null),
          protection.outgoing(topic, codec.encode(envelope)));
      outcome = "ok";
    } catch (UnroutableException e) {
      outcome = "unroutable";
      throw e;
    } finally {
      metrics.cast(topic, method.name(), outcome);
    }
  }

  /**
   * Publishes an already encoded cast (e.g. one kept in an outbox) to {@code topic}.
   *
   * @param messageId the message's {@code _unique_id}, used as AMQP message id
   * @throws BusException when the message could not be handed to the broker
   */
  public void castEncoded(String topic, String method, String messageId, byte[] body) {
    if (!Topics.isGuest(topic) && bus.config().declareTopology()) {
      topology.ensureServiceQueue(topic);
    }
    AMQP.BasicProperties props =
        new AMQP.BasicProperties.Builder()
            .contentType("application/json")
            .contentEncoding("utf-8")
            .deliveryMode(2)
            .priority(0)
            .messageId(messageId)
            .timestamp(new Date())
            .build();
    String outcome = "error";
    try {
      publisher.publish(
          bus.config().exchange(), topic, true, props, protection.outgoing(topic, body));
      outcome = "ok";
    } finally {
      metrics.cast(topic, method, outcome);
    }
  }

  /**
   * Calls {@code method} on {@code topic} and waits for the reply up to the deadline of the
   * method's timeout class.
   *
   * @throws RpcTimeoutException when no reply came in time
   * @throws RemoteCallException when the remote side raised
   * @throws UnroutableException when no queue receives the topic
   * @throws BusException when the request could not be sent
   */
  public <A, R> R call(String topic, Method<A, R> method, RequestContext context, A args) {
    return call(topic, method, context, args, deadline(method));
  }

  /** Like {@link #call(String, Method, RequestContext, Object)} with an explicit deadline. */
  public <A, R> R call(
      String topic, Method<A, R> method, RequestContext context, A args, Duration timeout) {
    if (!method.isCall()) {
      throw new IllegalArgumentException(method.name() + " is a cast");
    }
    ensureReplyQueue();
    io.coffer.model.rpc.Envelope envelope = codec.call(method, context, args, replyQueue);
    CompletableFuture<Reply> future = new CompletableFuture<>();
    pending.put(envelope.msgId(), new Pending(topic, future));
    long start = System.nanoTime();
    String outcome = "error";
    try {
      publisher.publish(
          bus.config().exchange(),
          topic,
          true,
          properties(envelope, timeout),
          protection.outgoing(topic, codec.encode(envelope)));
      Reply reply = future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (reply.failed()) {
        outcome = "failure";
        throw new RemoteCallException(method.name(), reply.failure());
      }
      R result = codec.result(reply, method);
      outcome = "ok";
      return result;
    } catch (TimeoutException e) {
      outcome = "timeout";
      throw new RpcTimeoutException(method.name(), topic, timeout);
    } catch (ExecutionException e) {
      throw new BusException(method.name() + ": " + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BusException("interrupted while waiting for " + method.name(), e);
    } finally {
      pending.remove(envelope.msgId());
      metrics.call(topic, method.name(), outcome, Duration.ofNanos(System.nanoTime() - start));
    }
  }

  /** The configured deadline of a method's timeout class. */
  public Duration deadline(Method<?, ?> method) {
    BusConfig c = bus.config();
    return switch (method.timeout()) {
      case LOW -> c.callLowTimeout();
      case HIGH -> c.callHighTimeout();
      case SNAPSHOT -> c.callSnapshotTimeout();
      case NONE -> Duration.ZERO;
    };
  }

  /** Calls waiting for a reply (a leak check for tests and metrics). */
  public int pendingCalls() {
    return pending.size();
  }

  private static AMQP.BasicProperties properties(
      io.coffer.model.rpc.Envelope envelope, Duration expiration) {
    AMQP.BasicProperties.Builder b =
        new AMQP.BasicProperties.Builder()
            .contentType("application/json")
            .contentEncoding("utf-8")
            .deliveryMode(2)
            .priority(0)
            .messageId(envelope.uniqueId())
            .timestamp(new Date());
    if (expiration != null) {
      // oslo.messaging sets the call's timeout as the message TTL, so a late request is dropped
      b.expiration(Long.toString(Math.max(1, expiration.toMillis())));
      b.correlationId(envelope.msgId());
    }
    return b.build();
  }

  private void ensureReplyQueue() {
    if (replyQueueReady) {
      return;
    }
    synchronized (this) {
      if (replyQueueReady) {
        return;
      }
      Channel ch = bus.createChannel();
      try {
        // exclusive and auto-delete: the queue goes away with this process; the client library
        // re-declares it under the same name after a broker restart
        ch.queueDeclare(replyQueue, false, true, true, null);
        // replies come through the default exchange (oslo.messaging) or the reply exchange
        // (guests whose broker user may publish nowhere else)
        ch.queueBind(replyQueue, Topics.REPLY_EXCHANGE, replyQueue);
        ch.basicConsume(replyQueue, true, new ReplyConsumer(ch));
        replyQueueReady = true;
      } catch (IOException e) {
        Channels.closeQuietly(ch);
        throw new BusUnavailableException("cannot create reply queue: " + Channels.reason(e), e);
      }
    }
  }

  private final class ReplyConsumer extends DefaultConsumer {
    ReplyConsumer(Channel channel) {
      super(channel);
    }

    @Override
    public void handleDelivery(
        String consumerTag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
      String msgId = properties.getCorrelationId();
      Reply reply;
      Pending waiting;
      try {
        if (msgId == null) {
          msgId = codec.decodeReply(body).msgId();
        }
        waiting = msgId == null ? null : pending.get(msgId);
        if (waiting == null) {
          LOG.debugf("bus: reply %s arrived after its deadline, dropped", msgId);
          return;
        }
        reply = codec.decodeReply(protection.incomingReply(waiting.topic(), body));
      } catch (MalformedMessageException e) {
        LOG.warnf("bus: dropped an undecodable reply: %s", e.getMessage());
        return;
      } catch (RefusedMessageException e) {
        LOG.warnf("bus: refused a reply: %s", e.getMessage());
        metrics.refused(replyQueue, e.reason());
        return;
      }
      if (!msgId.equals(reply.msgId())) {
        LOG.warnf("bus: dropped a reply whose id does not match its correlation id");
        return;
      }
      waiting.future().complete(reply);
    }
  }
}
