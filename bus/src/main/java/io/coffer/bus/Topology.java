package io.coffer.bus;

import com.rabbitmq.client.Channel;
import io.coffer.model.routing.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Declares Coffer's exchanges and queues, with the same arguments wherever they are declared:
 *
 * <ul>
 *   <li>the durable topic exchange ({@code coffer});
 *   <li>the dead-letter fanout exchange and queue {@code coffer.dead-letter};
 *   <li>control-plane queues ({@code taskmanager}, {@code trove-conductor}): durable quorum queues
 *       with an explicit delivery limit and the dead-letter exchange, each bound to the exchange
 *       under its own name;
 *   <li>guest queues ({@code guestagent.<id>}): durable classic queues with the dead-letter
 *       exchange, created by the taskmanager before it casts {@code prepare} and deleted with the
 *       instance.
 * </ul>
 */
@ApplicationScoped
public class Topology {

  private static final Logger LOG = Logger.getLogger(Topology.class);

  private final BusConnection bus;
  private final Set<String> declared = ConcurrentHashMap.newKeySet();

  Topology(BusConnection bus) {
    this.bus = bus;
  }

  static void declareBase(Channel ch, BusConfig config) throws IOException {
    ch.exchangeDeclare(config.exchange(), "topic", true, false, null);
    ch.exchangeDeclare(Topics.DEAD_LETTER, "fanout", true, false, null);
    ch.exchangeDeclare(Topics.REPLY_EXCHANGE, "topic", true, false, null);
    ch.queueDeclare(Topics.DEAD_LETTER, true, false, false, null);
    ch.queueBind(Topics.DEAD_LETTER, Topics.DEAD_LETTER, "");
  }

  static Map<String, Object> serviceQueueArguments(BusConfig config) {
    return Map.of(
        "x-queue-type",
        "quorum",
        "x-delivery-limit",
        config.maxAttempts(),
        "x-dead-letter-exchange",
        Topics.DEAD_LETTER);
  }

  static Map<String, Object> guestQueueArguments() {
    return Map.of("x-dead-letter-exchange", Topics.DEAD_LETTER);
  }

  /** Declares a control-plane queue on {@code ch} (the channel's recovery re-declares it). */
  static void declareServiceQueue(Channel ch, BusConfig config, String topic) throws IOException {
    ch.queueDeclare(topic, true, false, false, serviceQueueArguments(config));
    ch.queueBind(topic, config.exchange(), topic);
  }

  /** Declares a guest queue on {@code ch}. */
  static void declareGuestQueue(Channel ch, BusConfig config, String topic) throws IOException {
    ch.queueDeclare(topic, true, false, false, guestQueueArguments());
    ch.queueBind(topic, config.exchange(), topic);
  }

  /**
   * Declares the queue of a topic: a guest queue for guest topics, else a control-plane queue; a
   * process that does not declare topology only checks that the queue exists.
   */
  static void declareQueue(Channel ch, BusConfig config, String topic) throws IOException {
    if (!config.declareTopology()) {
      ch.queueDeclarePassive(topic);
    } else if (Topics.isGuest(topic)) {
      declareGuestQueue(ch, config, topic);
    } else {
      declareServiceQueue(ch, config, topic);
    }
  }

  /** Makes sure a control-plane queue exists before the first message is published to it. */
  public void ensureServiceQueue(String topic) {
    if (declared.contains(topic)) {
      return;
    }
    onChannel("declare queue " + topic, ch -> declareServiceQueue(ch, bus.config(), topic));
    declared.add(topic);
  }

  /** Creates the queue of an instance's guest agent (idempotent). */
  public void declareGuestQueue(String instanceId) {
    String topic = Topics.guest(instanceId);
    onChannel("declare queue " + topic, ch -> declareGuestQueue(ch, bus.config(), topic));
  }

  /** Deletes the queue of an instance's guest agent; a missing queue is not an error. */
  public void deleteGuestQueue(String instanceId) {
    String topic = Topics.guest(instanceId);
    onChannel("delete queue " + topic, ch -> ch.queueDelete(topic));
    LOG.debugf("bus: deleted queue %s", topic);
  }

  /** Messages waiting in a queue, or -1 when the queue does not exist or the bus is down. */
  public long depth(String queue) {
    return inspect(queue, true);
  }

  /** Consumers attached to a queue, or -1 when the queue does not exist or the bus is down. */
  public long consumers(String queue) {
    return inspect(queue, false);
  }

  private long inspect(String queue, boolean messages) {
    long[] out = {-1};
    try {
      onChannel(
          "inspect " + queue,
          ch -> {
            var ok = ch.queueDeclarePassive(queue);
            out[0] = messages ? ok.getMessageCount() : ok.getConsumerCount();
          });
    } catch (BusException e) {
      LOG.debugf("bus: %s", e.getMessage());
    }
    return out[0];
  }

  /** Work on a short-lived channel. */
  @FunctionalInterface
  interface ChannelWork {
    void run(Channel ch) throws IOException;
  }

  private void onChannel(String what, ChannelWork work) {
    Channel ch = bus.createChannel();
    try {
      work.run(ch);
    } catch (IOException | RuntimeException e) {
      throw new BusException("cannot " + what + ": " + Channels.reason(e), e);
    } finally {
      Channels.closeQuietly(ch);
    }
  }
}
