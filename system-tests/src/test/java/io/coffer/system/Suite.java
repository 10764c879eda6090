package io.coffer.system;

import static io.restassured.RestAssured.given;

import io.coffer.testing.Datastores;
import io.coffer.testing.ServiceProcess;
import io.coffer.testing.Tokens;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The whole control plane as real processes (conductor, taskmanager, api), started once for all
 * system tests, on their own ports, the test database and virtual host, their own loopback
 * addresses (127.0.2.x) and instance directory.
 */
final class Suite {

  static final int API_PORT = 28779;
  static final Path INSTANCES = Path.of("/tmp/coffer-system-test/instances");
  static final String BUILD_TIMEOUT = "45s";
  private static final List<ServiceProcess> PROCESSES = new ArrayList<>();
  private static boolean started;

  private Suite() {}

  static synchronized void start() {
    if (started) {
      return;
    }
    started = true;
    cleanInstances();
    String tokens = Path.of("target", "test-tokens.json").toAbsolutePath().toString();
    System.setProperty("coffer.test.token-file", tokens);
    Tokens.admin();
    String pg = Datastores.version("postgresql", "15", "postgresql", true);
    Datastores.makeDefault(pg);
    // a datastore whose guest cannot run here: its instances never report and hit their deadline
    Datastores.version("mariadb", "10.11", "mariadb", true);
    start("conductor-service", Map.of("quarkus.http.port", "28782"), 28782);
    start(
        "taskmanager-service",
        Map.of(
            "quarkus.http.port", "28781",
            "coffer.taskmanager.local.base-dir", INSTANCES.toString(),
            "coffer.taskmanager.local.first-address", "127.0.2.1",
            "coffer.taskmanager.local.last-address", "127.0.2.254",
            "coffer.taskmanager.local.guest-jar", ServiceProcess.jarOf("guestagent").toString(),
            "coffer.taskmanager.guest-heartbeat-interval", "2s"),
        28781);
    start(
        "api-service",
        Map.of(
            "quarkus.http.port", Integer.toString(API_PORT),
            "coffer.api.auth.token-file", tokens,
            "coffer.api.build-timeout", BUILD_TIMEOUT),
        API_PORT);
    RestAssured.port = API_PORT;
    Runtime.getRuntime().addShutdownHook(new Thread(Suite::stop));
  }

  private static void start(String module, Map<String, String> props, int port) {
    PROCESSES.add(
        ServiceProcess.start(module, props)
            .awaitReady("http://127.0.0.1:" + port + "/q/health/ready", Duration.ofSeconds(60)));
  }

  static void stop() {
    for (ServiceProcess p : PROCESSES) {
      p.close();
    }
    cleanInstances();
  }

  /** Stops whatever a previous run left and removes its directories. */
  static void cleanInstances() {
    if (!Files.isDirectory(INSTANCES)) {
      return;
    }
    try (Stream<Path> dirs = Files.list(INSTANCES)) {
      for (Path dir : dirs.toList()) {
        kill(dir.resolve("guest.pid"), true);
        kill(dir.resolve("data/postmaster.pid"), false);
      }
      try (Stream<Path> all = Files.walk(INSTANCES)) {
        for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
          if (!p.equals(INSTANCES)) {
            Files.deleteIfExists(p);
          }
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void kill(Path pidFile, boolean group) throws IOException {
    if (!Files.exists(pidFile)) {
      return;
    }
    String pid = Files.readAllLines(pidFile).get(0).trim();
    try {
      new ProcessBuilder("kill", "-KILL", group ? "-" + pid : pid).start().waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Requests as a project. */
  static RequestSpecification as(String token) {
    return given()
        .header("X-Auth-Token", token)
        .contentType(ContentType.JSON)
        .accept(ContentType.JSON);
  }
}
