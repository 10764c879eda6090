package io.coffer.bus;

/**
 * How to consume one queue.
 *
 * @param queue queue (= topic) to consume
 * @param concurrency channels consuming in parallel, each handling one message at a time
 * @param prefetch unacknowledged messages per channel
 * @param retryCasts whether a cast whose handler fails is retried (control-plane queues) or
 *     dead-lettered at once
 */
public record ConsumerSpec(String queue, int concurrency, int prefetch, boolean retryCasts) {

  /** Validates the numbers. */
  public ConsumerSpec {
    if (concurrency < 1 || prefetch < 1) {
      throw new IllegalArgumentException("concurrency and prefetch must be at least 1");
    }
  }
}
