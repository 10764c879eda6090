package io.coffer.testing;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** Controls the local RabbitMQ node for tests that restart it. */
public final class Broker {

  private Broker() {}

  /** Stops and starts the RabbitMQ application (connections drop, durable queues survive). */
  public static void restart() {
    run("rabbitmqctl", "stop_app");
    run("rabbitmqctl", "start_app");
    run("rabbitmqctl", "await_startup");
  }

  private static void run(String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + String.join(" ", cmd), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
