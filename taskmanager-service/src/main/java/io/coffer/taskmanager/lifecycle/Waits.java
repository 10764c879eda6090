package io.coffer.taskmanager.lifecycle;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waiting for a condition with a deadline: the check runs every {@code poll} until it holds or the
 * deadline passes; a check that throws counts as not holding yet (a guest still starting, say), and
 * its last error is named when the wait gives up.
 */
public final class Waits {

  private Waits() {}

  /** A wait that ran out of time. */
  public static final class TimedOut extends RuntimeException {
    TimedOut(String message, Throwable last) {
      super(message, last);
    }
  }

  /**
   * Returns once {@code check} holds; throws {@link TimedOut} after {@code timeout}.
   *
   * @param what what is awaited, for the message ("the guest agent to answer")
   */
  public static void until(String what, Duration timeout, Duration poll, BooleanSupplier check) {
    long end = System.nanoTime() + timeout.toNanos();
    RuntimeException last = null;
    while (true) {
      try {
        if (check.getAsBoolean()) {
          return;
        }
        last = null;
      } catch (RuntimeException e) {
        last = e;
      }
      long left = end - System.nanoTime();
      if (left <= 0) {
        throw new TimedOut(
            "gave up waiting for "
                + what
                + " after "
                + timeout.toSeconds()
                + " s"
                + (last == null ? "" : " (last: " + last.getMessage() + ")"),
            last);
      }
      try {
        Thread.sleep(Math.max(1, Math.min(poll.toMillis(), left / 1_000_000)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TimedOut("interrupted while waiting for " + what, e);
      }
    }
  }
}
