package io.coffer.testing;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.coffer.model.rpc.MessageCodec;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import org.awaitility.Awaitility;

/**
 * A plain AMQP client for tests: binds a private queue to the real exchange to see what crosses it,
 * and publishes raw bodies as another process would.
 */
public final class RabbitProbe implements AutoCloseable {

  /** One message the probe received. */
  public record Delivery(String routingKey, AMQP.BasicProperties properties, byte[] body) {

    /** The decoded oslo.messaging envelope. */
    public io.coffer.model.rpc.Envelope envelope() {
      return new MessageCodec().decode(body);
    }
  }

  private final Connection connection;
  private final Channel channel;
  private final List<Delivery> received = new CopyOnWriteArrayList<>();
  private String queue;
  private boolean confirming;

  private RabbitProbe() throws IOException, TimeoutException {
    ConnectionFactory f = new ConnectionFactory();
    f.setHost(TestEnv.rabbitHost());
    f.setPort(TestEnv.rabbitPort());
    f.setUsername(TestEnv.rabbitUser());
    f.setPassword(TestEnv.rabbitPassword());
    f.setVirtualHost(TestEnv.rabbitVhost());
    this.connection = f.newConnection("coffer-test-probe");
    this.channel = connection.createChannel();
    channel.exchangeDeclare(TestEnv.exchange(), "topic", true, false, null);
  }

  /** A probe that only publishes. */
  public static RabbitProbe open() {
    try {
      return new RabbitProbe();
    } catch (IOException | TimeoutException e) {
      throw new IllegalStateException("cannot reach RabbitMQ for the test", e);
    }
  }

  /** A probe that receives every message published to the exchange with these routing keys. */
  public static RabbitProbe bind(String... routingKeys) {
    RabbitProbe p = open();
    try {
      p.queue = p.channel.queueDeclare().getQueue();
      for (String key : routingKeys) {
        p.channel.queueBind(p.queue, TestEnv.exchange(), key);
      }
      p.consume(p.queue);
    } catch (IOException e) {
      p.close();
      throw new IllegalStateException(e);
    }
    return p;
  }

  /** Receives what arrives in an existing queue (e.g. the dead-letter queue); consumes it. */
  public static RabbitProbe drain(String queue) {
    RabbitProbe p = open();
    try {
      p.consume(queue);
    } catch (IOException e) {
      p.close();
      throw new IllegalStateException(e);
    }
    return p;
  }

  private void consume(String q) throws IOException {
    channel.basicConsume(
        q,
        true,
        new DefaultConsumer(channel) {
          @Override
          public void handleDelivery(
              String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
            received.add(new Delivery(envelope.getRoutingKey(), properties, body));
          }
        });
  }

  /** Publishes a raw body, persistent, as JSON; returns once the broker confirmed it. */
  public void publish(String exchange, String routingKey, byte[] body) {
    try {
      if (!confirming) {
        channel.confirmSelect();
        confirming = true;
      }
      channel.basicPublish(
          exchange,
          routingKey,
          new AMQP.BasicProperties.Builder()
              .contentType("application/json")
              .deliveryMode(2)
              .build(),
          body);
      channel.waitForConfirmsOrDie(10_000);
    } catch (IOException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("the broker did not take the message", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Publishes a raw body to the topic exchange. */
  public void publish(String routingKey, byte[] body) {
    publish(TestEnv.exchange(), routingKey, body);
  }

  /** Messages received so far. */
  public List<Delivery> received() {
    return new ArrayList<>(received);
  }

  /** Waits until at least {@code n} messages arrived and returns them. */
  public List<Delivery> await(int n, Duration timeout) {
    Awaitility.await().atMost(timeout).until(() -> received.size() >= n);
    return received();
  }

  /** Waits for the first message. */
  public Delivery awaitOne(Duration timeout) {
    return await(1, timeout).get(0);
  }

  /** The channel, for declarations a test needs. */
  public Channel channel() {
    return channel;
  }

  @Override
  public void close() {
    try {
      connection.close(2_000);
    } catch (IOException | RuntimeException e) {
      // the test is over; the broker drops the private queue with the connection
    }
  }
}
