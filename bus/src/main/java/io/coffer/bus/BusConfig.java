package io.coffer.bus;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Settings of the message bus, under {@code coffer.bus}; shared by every Coffer daemon. */
@ConfigMapping(prefix = "coffer.bus")
public interface BusConfig {

  /** Whether the daemon connects to the bus at all (off for one-shot admin commands). */
  @WithDefault("true")
  boolean enabled();

  /** RabbitMQ host. */
  @WithDefault("127.0.0.1")
  String host();

  /** RabbitMQ AMQP port. */
  @WithDefault("5672")
  int port();

  /** RabbitMQ user. */
  @WithDefault("guest")
  String username();

  /** RabbitMQ password; set it from a secret in production. */
  @WithDefault("guest")
  String password();

  /** RabbitMQ virtual host. */
  @WithDefault("/")
  String virtualHost();

  /** Name of the one durable topic exchange ({@code trove} to share a broker with Trove). */
  @WithDefault("coffer")
  String exchange();

  /** Topic (routing key and queue) of the taskmanagers. */
  @WithDefault("taskmanager")
  String taskmanagerTopic();

  /** Topic (routing key and queue) of the conductors. */
  @WithDefault("trove-conductor")
  String conductorTopic();

  /**
   * Delivery attempts of a message whose handler fails before it is dead-lettered. Also set as the
   * broker's {@code x-delivery-limit} on the control-plane queues, so a message that crashes its
   * consumer every time ends in the dead-letter queue too.
   */
  @WithDefault("5")
  int maxAttempts();

  /** Pause before a failed message is returned to its queue, multiplied by the attempt number. */
  @WithDefault("500ms")
  Duration retryBackoff();

  /** Longest wait for the broker to confirm a published message. */
  @WithDefault("10s")
  Duration publishTimeout();

  /** Deadline of {@code low} calls (Trove's {@code agent_call_low_timeout}). */
  @WithDefault("15s")
  Duration callLowTimeout();

  /** Deadline of {@code high} calls (Trove's {@code agent_call_high_timeout}). */
  @WithDefault("180s")
  Duration callHighTimeout();

  /** Deadline of snapshot calls (Trove's {@code agent_replication_snapshot_timeout}). */
  @WithDefault("1800s")
  Duration callSnapshotTimeout();

  /** Pause between attempts to reach the broker. */
  @WithDefault("2s")
  Duration reconnectInterval();

  /** AMQP heartbeat interval requested from the broker. */
  @WithDefault("20s")
  Duration heartbeat();

  /**
   * Declare the exchanges and this process's queues. Off for guest agents with a least-privilege
   * broker user: the control plane declares the exchanges and the taskmanager a guest's queue.
   */
  @WithDefault("true")
  boolean declareTopology();

  /**
   * Exchange the replies to calls are published to: unset, the default exchange (as
   * oslo.messaging); {@code coffer.reply} for guest agents whose broker user may not publish to the
   * default exchange.
   */
  Optional<String> replyExchange();

  /**
   * Accept reports encrypted with Trove's own secure-RPC scheme (AES-CBC, the {@code entity} /
   * {@code csz-instance-id} wrapping) from Trove guests of instances imported with Trove's keys.
   * Off: such messages are refused ({@code trove-scheme}).
   */
  @WithDefault("false")
  boolean troveCompat();

  /** Connection name shown by the broker; defaults to the application name. */
  Optional<String> connectionName();
}
