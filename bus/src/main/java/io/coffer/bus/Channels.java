package io.coffer.bus;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.util.concurrent.TimeoutException;

/** Small helpers around RabbitMQ channels. */
final class Channels {

  private Channels() {}

  /** Closes a channel that may already be closed (e.g. by a channel error). */
  static void closeQuietly(Channel ch) {
    if (ch == null) {
      return;
    }
    try {
      if (ch.isOpen()) {
        ch.close();
      }
    } catch (IOException | TimeoutException | RuntimeException e) {
      // already closed by the broker or the connection; nothing left to release
    }
  }

  /** The broker's reason of a failure, e.g. {@code PRECONDITION_FAILED - inequivalent arg …}. */
  static String reason(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ShutdownSignalException s && s.getReason() != null) {
        String text = s.getReason().toString();
        int i = text.indexOf("reply-text=");
        return i < 0 ? text : text.substring(i + "reply-text=".length()).replaceAll(",.*", "");
      }
    }
    return String.valueOf(e.getMessage());
  }
}
