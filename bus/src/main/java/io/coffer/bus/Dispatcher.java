package io.coffer.bus;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Routes a method name to its handler. Built once from the daemon's handler beans; two handlers for
 * one method fail startup. The set of handlers is also the allow-list: a message naming any other
 * method is refused.
 */
public final class Dispatcher {

  private final Map<String, MessageHandler<?, ?>> handlers;

  /** Builds the routing table. */
  public Dispatcher(Iterable<? extends MessageHandler<?, ?>> handlers) {
    Map<String, MessageHandler<?, ?>> map = new LinkedHashMap<>();
    for (MessageHandler<?, ?> h : handlers) {
      MessageHandler<?, ?> previous = map.put(h.method().name(), h);
      if (previous != null) {
        throw new IllegalStateException(
            "two handlers for "
                + h.method().name()
                + ": "
                + previous.getClass().getName()
                + " and "
                + h.getClass().getName());
      }
    }
    this.handlers = Collections.unmodifiableMap(map);
  }

  /** The handler of a method, if any. */
  public Optional<MessageHandler<?, ?>> handler(String method) {
    return Optional.ofNullable(handlers.get(method));
  }

  /** Names of the methods handled. */
  public Set<String> methods() {
    return handlers.keySet();
  }
}
