package io.coffer.taskmanager;

import io.coffer.bus.MessageHandler;
import io.coffer.model.rpc.Method;
import io.coffer.model.rpc.RequestContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test-only task that fails a chosen number of times before it succeeds, to exercise the
 * taskmanager queue's retry and dead-letter policy with real deliveries.
 */
@ApplicationScoped
public class FlakyTestHandler implements MessageHandler<FlakyTestHandler.Args, Void> {

  /** Arguments: a key to count attempts under, and how many attempts fail. */
  @com.fasterxml.jackson.databind.annotation.JsonNaming(
      com.fasterxml.jackson.databind.PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Args(String key, Integer failures, String instanceId) {
    public Args(String key, Integer failures) {
      this(key, failures, null);
    }
  }

  public static final Method<Args, Void> METHOD = Method.cast("coffer_test_flaky", Args.class);

  private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();

  @Override
  public Method<Args, Void> method() {
    return METHOD;
  }

  @Override
  public Void handle(RequestContext context, Args args) {
    int attempt = attempts.computeIfAbsent(args.key(), k -> new AtomicInteger()).incrementAndGet();
    if (attempt <= args.failures()) {
      throw new IllegalStateException("planned failure " + attempt + " of " + args.key());
    }
    return null;
  }

  /** Attempts seen for a key. */
  public int attempts(String key) {
    AtomicInteger n = attempts.get(key);
    return n == null ? 0 : n.get();
  }
}
