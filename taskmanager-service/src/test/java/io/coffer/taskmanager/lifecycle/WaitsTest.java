package io.coffer.taskmanager.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WaitsTest {

  private static final Duration POLL = Duration.ofMillis(10);

  @Test
  void aConditionThatNeverHoldsEndsAtTheDeadline() {
    AtomicInteger checks = new AtomicInteger();
    long start = System.nanoTime();
    assertThatThrownBy(
            () ->
                Waits.until(
                    "the guest agent to answer",
                    Duration.ofMillis(300),
                    POLL,
                    () -> {
                      checks.incrementAndGet();
                      return false;
                    }))
        .isInstanceOf(Waits.TimedOut.class)
        .hasMessage("gave up waiting for the guest agent to answer after 0 s");
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(took).isBetween(Duration.ofMillis(300), Duration.ofSeconds(5));
    // it slept between checks instead of spinning
    assertThat(checks.get()).isBetween(2, 40);
  }

  @Test
  void aFailingCheckIsRetriedAndItsLastErrorNamed() {
    AtomicInteger checks = new AtomicInteger();
    Waits.until(
        "three tries",
        Duration.ofSeconds(5),
        POLL,
        () -> {
          if (checks.incrementAndGet() < 3) {
            throw new IllegalStateException("not yet");
          }
          return true;
        });
    assertThat(checks.get()).isEqualTo(3);
    assertThatThrownBy(
            () ->
                Waits.until(
                    "a dead guest",
                    Duration.ofMillis(50),
                    POLL,
                    () -> {
                      throw new IllegalStateException("no route to guest");
                    }))
        .isInstanceOf(Waits.TimedOut.class)
        .hasMessageContaining("(last: no route to guest)")
        .hasRootCauseMessage("no route to guest");
  }
}
