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

  /** Stops the RabbitMQ application: every connection drops, the node stays. */
  public static void stopApp() {
    run("rabbitmqctl", "stop_app");
  }

  /** Starts the RabbitMQ application again and waits until it serves. */
  public static void startApp() {
    run("rabbitmqctl", "start_app");
    run("rabbitmqctl", "await_startup");
  }

  /** Consumers of a queue now, or -1 when it cannot be seen (missing, broker down). */
  public static long consumers(String queue) {
    com.rabbitmq.client.ConnectionFactory f = new com.rabbitmq.client.ConnectionFactory();
    f.setHost(TestEnv.rabbitHost());
    f.setPort(TestEnv.rabbitPort());
    f.setUsername(TestEnv.rabbitUser());
    f.setPassword(TestEnv.rabbitPassword());
    f.setVirtualHost(TestEnv.rabbitVhost());
    f.setAutomaticRecoveryEnabled(false);
    try (com.rabbitmq.client.Connection c = f.newConnection("coffer-test-probe");
        com.rabbitmq.client.Channel ch = c.createChannel()) {
      return ch.queueDeclarePassive(queue).getConsumerCount();
    } catch (Exception e) {
      return -1;
    }
  }

  /** The HTTP status the broker's management API answers to a GET of {@code path}. */
  public static int managementStatus(String path) throws IOException, InterruptedException {
    java.net.http.HttpClient http =
        java.net.http.HttpClient.newBuilder()
            // HTTP/1.1: the broker's web server drops requests offering an h2c upgrade
            .version(java.net.http.HttpClient.Version.HTTP_1_1)
            .build();
    String credentials = TestEnv.rabbitUser() + ":" + TestEnv.rabbitPassword();
    return http.send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://" + TestEnv.rabbitHost() + ":15672" + path))
                .header(
                    "Authorization",
                    "Basic "
                        + java.util.Base64.getEncoder()
                            .encodeToString(
                                credentials.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.discarding())
        .statusCode();
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
