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
  static final Path BACKUPS = Path.of("/tmp/coffer-system-test/backups");

  /**
   * The suite's instances' cgroups, under each controller's hierarchy (apart from a deployment's).
   */
  static final String CGROUP_ROOT = "coffer-system-test";

  static final Duration GUEST_SILENCE = Duration.ofSeconds(8);
  static final Duration HEARTBEAT_EXPIRY = Duration.ofSeconds(10);
  static final String BUILD_TIMEOUT = "45s";
  private static final List<ServiceProcess> PROCESSES = new ArrayList<>();
  private static final Map<String, Map<String, String>> SETTINGS = new java.util.HashMap<>();
  private static final Map<String, Integer> PORTS = new java.util.HashMap<>();
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
    String mariadb = Datastores.version("mariadb", "10.11", "mariadb", true);
    Datastores.rule(mariadb, "max_connections", "integer", false, "10", "100000");
    Datastores.rule(mariadb, "innodb_log_buffer_size", "integer", true, "262144", "4294967295");
    Datastores.version("mysql", "5.7", "mysql", true);
    // a version registered before managers were checked: no guest agent implements it
    Datastores.version("redis", "7", "redis", true);
    start(
        "conductor-service",
        Map.of(
            "quarkus.http.port",
            "28782",
            "coffer.conductor.heartbeat-expiry",
            HEARTBEAT_EXPIRY.toSeconds() + "s",
            "coffer.conductor.silent-check-interval",
            "1s"),
        28782);
    start(
        "taskmanager-service",
        Map.of(
            "quarkus.http.port",
            "28781",
            "coffer.taskmanager.local.base-dir",
            INSTANCES.toString(),
            "coffer.taskmanager.local.first-address",
            "127.0.2.1",
            "coffer.taskmanager.local.last-address",
            "127.0.2.254",
            "coffer.taskmanager.local.guest-jar",
            ServiceProcess.jarOf("guestagent").toString(),
            "coffer.taskmanager.local.cgroup-root",
            CGROUP_ROOT,
            "coffer.taskmanager.guest-heartbeat-interval",
            "2s",
            "coffer.taskmanager.guest-wal-archive-interval",
            "3s",
            "coffer.taskmanager.backup.path",
            BACKUPS.toString(),
            "coffer.taskmanager.backup.guest-silence",
            GUEST_SILENCE.toSeconds() + "s"),
        28781);
    start(
        "api-service",
        Map.of(
            "quarkus.http.port",
            Integer.toString(API_PORT),
            "coffer.api.auth.token-file",
            tokens,
            "coffer.api.build-timeout",
            BUILD_TIMEOUT,
            "coffer.api.heartbeat-expiry",
            HEARTBEAT_EXPIRY.toSeconds() + "s",
            "coffer.api.metrics-interval",
            "1s",
            // Trove's root_on_create, for MySQL instances
            "coffer.api.root-on-create",
            "mysql"),
        API_PORT);
    RestAssured.port = API_PORT;
    Runtime.getRuntime().addShutdownHook(new Thread(Suite::stop));
  }

  private static void start(String module, Map<String, String> props, int port) {
    SETTINGS.put(module, props);
    PORTS.put(module, port);
    PROCESSES.add(
        ServiceProcess.start(module, props)
            .awaitReady("http://127.0.0.1:" + port + "/q/health/ready", Duration.ofSeconds(60)));
  }

  /** Kills a daemon of the suite with SIGKILL, as a crash would. */
  static synchronized void crash(String module) {
    for (ServiceProcess p : PROCESSES) {
      if (p.name().equals(module) && p.isAlive()) {
        p.kill();
      }
    }
    PROCESSES.removeIf(p -> p.name().equals(module));
  }

  /** Starts a daemon of the suite again (after {@link #crash}); returns once it is ready. */
  static synchronized void restart(String module) {
    start(module, SETTINGS.get(module), PORTS.get(module));
  }

  /**
   * Stops a daemon of the suite and starts it again with some settings changed (until {@link
   * #restore}); returns once it is ready.
   */
  static synchronized void reconfigure(String module, Map<String, String> changes) {
    stopModule(module);
    Map<String, String> props = new java.util.HashMap<>(SETTINGS.get(module));
    props.putAll(changes);
    PROCESSES.add(
        ServiceProcess.start(module, props)
            .awaitReady(
                "http://127.0.0.1:" + PORTS.get(module) + "/q/health/ready",
                Duration.ofSeconds(60)));
  }

  /** Runs a daemon with the suite's own settings again (after {@link #reconfigure}). */
  static synchronized void restore(String module) {
    stopModule(module);
    start(module, SETTINGS.get(module), PORTS.get(module));
  }

  private static void stopModule(String module) {
    for (ServiceProcess p : PROCESSES) {
      if (p.name().equals(module)) {
        p.close();
      }
    }
    PROCESSES.removeIf(p -> p.name().equals(module));
  }

  /** Sends a signal (STOP, CONT) to the guest agent of an instance (its process group). */
  static void signalGuest(String instanceId, String signal) {
    try {
      long pid =
          Long.parseLong(
              java.nio.file.Files.readAllLines(INSTANCES.resolve(instanceId).resolve("guest.pid"))
                  .get(0)
                  .trim());
      String cmd = ProcessHandle.of(pid).flatMap(h -> h.info().commandLine()).orElse("");
      if (pid <= 1 || !cmd.contains("quarkus-run.jar")) {
        throw new IllegalStateException("guest of " + instanceId + " is not running");
      }
      new ProcessBuilder("kill", "-" + signal, "--", "-" + pid).start().waitFor();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static void stop() {
    for (ServiceProcess p : PROCESSES) {
      p.close();
    }
    cleanInstances();
  }

  /** Stops whatever a previous run left and removes its directories. */
  static void cleanInstances() {
    deleteTree(BACKUPS);
    if (!Files.isDirectory(INSTANCES)) {
      return;
    }
    try (Stream<Path> dirs = Files.list(INSTANCES)) {
      for (Path dir : dirs.toList()) {
        kill(dir.resolve("guest.pid"), true);
        kill(dir.resolve("data/postmaster.pid"), false);
        unmount(dir);
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
    cleanCgroups();
    deleteTree(VOLUMES);
  }

  /** The suite's volume images (the local driver keeps them beside the instances). */
  static final Path VOLUMES = INSTANCES.resolveSibling("volumes");

  /** Whether a file system is mounted at {@code dir}. */
  static boolean mounted(Path dir) {
    try {
      String target = dir.toRealPath().toString();
      return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
          .map(l -> l.split(" "))
          .anyMatch(f -> f.length > 4 && f[4].equals(target));
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Unmounts an instance's volume once nothing works in it any more (what a killed postmaster
   * leaves exits on its own, or is killed here).
   */
  private static void unmount(Path dir) throws IOException {
    for (int attempt = 0; mounted(dir); attempt++) {
      Path real = dir.toRealPath();
      try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
        for (Path proc : procs.toList()) {
          if (!proc.getFileName().toString().matches("[0-9]+")) {
            continue;
          }
          try {
            if (Files.readSymbolicLink(proc.resolve("cwd")).startsWith(real)) {
              ProcessHandle.of(Long.parseLong(proc.getFileName().toString()))
                  .ifPresent(ProcessHandle::destroyForcibly);
            }
          } catch (IOException e) {
            // gone, or not ours to read
          }
        }
      }
      try {
        if (attempt > 60) {
          throw new IllegalStateException("cannot unmount " + dir);
        }
        List<String> umount =
            attempt < 40
                ? List.of("umount", dir.toString())
                : List.of("umount", "-l", dir.toString());
        int exit = new ProcessBuilder(umount).redirectErrorStream(true).start().waitFor();
        if (exit != 0) {
          Thread.sleep(250);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** The cgroups of this suite's instances, one per hierarchy (v1) or the unified one (v2). */
  static List<Path> cgroupsOf(String instanceId) {
    Path fs = Path.of("/sys/fs/cgroup");
    if (Files.exists(fs.resolve("cgroup.controllers"))) {
      return List.of(fs.resolve(CGROUP_ROOT).resolve(instanceId));
    }
    return List.of(
        fs.resolve("memory").resolve(CGROUP_ROOT).resolve(instanceId),
        fs.resolve("cpu").resolve(CGROUP_ROOT).resolve(instanceId));
  }

  /** Removes the (empty) cgroups a previous run's instances left. */
  private static void cleanCgroups() {
    Path fs = Path.of("/sys/fs/cgroup");
    for (Path root :
        List.of(
            fs.resolve(CGROUP_ROOT),
            fs.resolve("memory").resolve(CGROUP_ROOT),
            fs.resolve("cpu").resolve(CGROUP_ROOT))) {
      if (!Files.isDirectory(root)) {
        continue;
      }
      try (Stream<Path> groups = Files.list(root)) {
        for (Path g : groups.filter(Files::isDirectory).toList()) {
          try {
            Files.delete(g);
          } catch (IOException e) {
            // still holds a process of something else: leave it
          }
        }
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** Removes a directory and everything in it; a missing one is fine. */
  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Kills the database server of an instance, as a crash of its host would. */
  static void killDatabase(String instanceId) {
    try {
      Path dir = INSTANCES.resolve(instanceId);
      // PostgreSQL's lock file, or MariaDB's pid file
      kill(
          Files.exists(dir.resolve("data/postmaster.pid"))
              ? dir.resolve("data/postmaster.pid")
              : dir.resolve("run/mariadbd.pid"),
          false);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Kills the guest agent of an instance as if it crashed: its process group (the agent and what it
   * runs); the database server runs in a session of its own and stays up.
   */
  static void killGuest(String instanceId) {
    try {
      kill(INSTANCES.resolve(instanceId).resolve("guest.pid"), true);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Kills what a pid file names, if it is still the process that wrote it: a pid file from an
   * earlier run may name a number the system has given to another process since.
   */
  private static void kill(Path pidFile, boolean group) throws IOException {
    if (!Files.exists(pidFile)) {
      return;
    }
    long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
    if (pid <= 1) {
      return;
    }
    if (group) {
      // a guest agent's group leader runs the guest's jar
      String cmd = ProcessHandle.of(pid).flatMap(h -> h.info().commandLine()).orElse("");
      if (!cmd.contains("quarkus-run.jar")) {
        return;
      }
    } else {
      // a postmaster works in its data directory
      try {
        Path cwd = Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "cwd"));
        if (!cwd.startsWith(pidFile.getParent().toRealPath())) {
          return;
        }
      } catch (IOException e) {
        return;
      }
    }
    try {
      new ProcessBuilder("kill", "-KILL", "--", group ? "-" + pid : Long.toString(pid))
          .start()
          .waitFor();
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
