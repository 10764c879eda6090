package io.coffer.bus;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeoutException;

/**
 * Publishes with publisher confirms: {@link #publish} returns only once the broker has taken
 * responsibility for the message, and throws otherwise. Mandatory messages that no queue receives
 * are reported as {@link UnroutableException}. Channels are pooled, one publish at a time each.
 */
@ApplicationScoped
public class Publisher {

  private static final int MAX_IDLE_CHANNELS = 16;

  private final BusConnection bus;
  private final LinkedBlockingDeque<ConfirmChannel> idle = new LinkedBlockingDeque<>();

  Publisher(BusConnection bus) {
    this.bus = bus;
  }

  /**
   * Publishes one message and waits for the broker's confirm.
   *
   * @param exchange exchange name ({@code ""} for the default exchange)
   * @param routingKey routing key
   * @param mandatory whether an unroutable message is an error
   * @param props message properties; a message id is required when mandatory
   * @param body message body
   * @throws BusUnavailableException when the broker cannot be reached
   * @throws UnroutableException when a mandatory message reached no queue
   * @throws BusException when the broker refused or did not confirm in time
   */
  public void publish(
      String exchange,
      String routingKey,
      boolean mandatory,
      AMQP.BasicProperties props,
      byte[] body) {
    ConfirmChannel cc = borrow();
    boolean healthy = false;
    try {
      cc.channel.basicPublish(exchange, routingKey, mandatory, props, body);
      cc.channel.waitForConfirmsOrDie(bus.config().publishTimeout().toMillis());
      healthy = true;
      if (mandatory && props.getMessageId() != null && cc.returned.remove(props.getMessageId())) {
        throw new UnroutableException(routingKey);
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof UnroutableException u) {
        throw u;
      }
      throw new BusUnavailableException(
          "the message bus did not accept the message: " + Channels.reason(e), e);
    } catch (TimeoutException e) {
      throw new BusException("the message bus did not confirm the message in time", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BusException("interrupted while publishing", e);
    } finally {
      release(cc, healthy);
    }
  }

  private ConfirmChannel borrow() {
    ConfirmChannel cc;
    while ((cc = idle.pollFirst()) != null) {
      if (cc.channel.isOpen()) {
        return cc;
      }
      Channels.closeQuietly(cc.channel);
    }
    Channel ch = bus.createChannel();
    try {
      ch.confirmSelect();
    } catch (IOException e) {
      Channels.closeQuietly(ch);
      throw new BusUnavailableException("cannot enable publisher confirms", e);
    }
    ConfirmChannel fresh = new ConfirmChannel(ch);
    ch.addReturnListener(r -> fresh.returned.add(String.valueOf(r.getProperties().getMessageId())));
    return fresh;
  }

  private void release(ConfirmChannel cc, boolean healthy) {
    cc.returned.clear();
    if (healthy && cc.channel.isOpen() && idle.size() < MAX_IDLE_CHANNELS) {
      idle.offerFirst(cc);
    } else {
      Channels.closeQuietly(cc.channel);
    }
  }

  private static final class ConfirmChannel {
    final Channel channel;
    final Set<String> returned = ConcurrentHashMap.newKeySet();

    ConfirmChannel(Channel channel) {
      this.channel = channel;
    }
  }
}
