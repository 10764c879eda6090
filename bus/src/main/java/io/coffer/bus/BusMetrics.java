package io.coffer.bus;

import io.coffer.model.routing.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/** Prometheus metrics of the bus: messages handled, casts and calls sent, dead letters. */
@ApplicationScoped
public class BusMetrics {

  private final MeterRegistry registry;
  private final Topology topology;

  BusMetrics(MeterRegistry registry, Topology topology) {
    this.registry = registry;
    // the registry holds gauge targets weakly: keep the topology referenced from this bean
    this.topology = topology;
    registry.gauge("coffer.bus.dead.letter.depth", this.topology, t -> t.depth(Topics.DEAD_LETTER));
  }

  /** Tag value of a topic: guest topics are grouped, not one series per instance. */
  static String topicTag(String topic) {
    return Topics.isGuest(topic) ? "guestagent" : topic;
  }

  void consumed(String queue, String method, String outcome) {
    Counter.builder("coffer.bus.messages.consumed")
        .description("Messages taken from a queue, by outcome")
        .tag("queue", topicTag(queue))
        .tag("method", method)
        .tag("outcome", outcome)
        .register(registry)
        .increment();
  }

  void refused(String queue, String reason) {
    Counter.builder("coffer.bus.messages.refused")
        .description(
            "Messages refused by instance message protection (forged, instance-mismatch,"
                + " unknown-key, plaintext)")
        .tag("queue", queue.startsWith("reply_") ? "reply" : topicTag(queue))
        .tag("reason", reason)
        .register(registry)
        .increment();
  }

  void handled(String queue, String method, Duration elapsed) {
    Timer.builder("coffer.bus.handler")
        .description("Time spent handling a message")
        .tag("queue", topicTag(queue))
        .tag("method", method)
        .register(registry)
        .record(elapsed);
  }

  void cast(String topic, String method, String outcome) {
    Counter.builder("coffer.bus.casts")
        .description("Casts published")
        .tag("topic", topicTag(topic))
        .tag("method", method)
        .tag("outcome", outcome)
        .register(registry)
        .increment();
  }

  void call(String topic, String method, String outcome, Duration elapsed) {
    Timer.builder("coffer.bus.calls")
        .description("Calls made, with their latency and outcome (ok, failure, timeout, error)")
        .tag("topic", topicTag(topic))
        .tag("method", method)
        .tag("outcome", outcome)
        .register(registry)
        .record(elapsed);
  }
}
