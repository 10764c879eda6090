package io.coffer.testing;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Coffer daemon run as a real process from its packaged fast-jar, as in production. Its output
 * goes to a log file under the module's {@code target/}.
 */
public final class ServiceProcess implements AutoCloseable {

  private final Process process;
  private final Path log;
  private final String name;

  private ServiceProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /** The repository root (the directory of the parent POM). */
  public static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      if (Files.exists(dir.resolve("common-model")) && Files.exists(dir.resolve("pom.xml"))) {
        return dir;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException("not inside the Coffer repository");
  }

  /** The fast-jar launcher of a module, e.g. {@code guestagent}. */
  public static Path jarOf(String module) {
    Path jar = repositoryRoot().resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    if (!Files.exists(jar)) {
      throw new IllegalStateException(jar + " is missing: package " + module + " first");
    }
    return jar;
  }

  /** Starts {@code module} with system properties (Quarkus configuration) set. */
  public static ServiceProcess start(String module, Map<String, String> properties) {
    Map<String, String> props = new LinkedHashMap<>();
    props.put("coffer.bus.host", TestEnv.rabbitHost());
    props.put("coffer.bus.port", Integer.toString(TestEnv.rabbitPort()));
    props.put("coffer.bus.username", TestEnv.rabbitUser());
    props.put("coffer.bus.password", TestEnv.rabbitPassword());
    props.put("coffer.bus.virtual-host", TestEnv.rabbitVhost());
    props.put("quarkus.datasource.jdbc.url", TestEnv.jdbcUrl());
    props.put("quarkus.datasource.username", TestEnv.dbUser());
    props.put("quarkus.datasource.password", TestEnv.dbPassword());
    // the test master key, the same the services' test profiles use
    props.put(
        "coffer.security.master-key-file",
        repositoryRoot().resolve("test-support/test-master.key").toString());
    props.putAll(properties);
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx256m");
    props.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
    cmd.add("-jar");
    cmd.add(jarOf(module).toString());
    try {
      Path logDir = Path.of("target", "processes");
      Files.createDirectories(logDir);
      Path log = Files.createTempFile(logDir, module + "-", ".log");
      Process p =
          new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      return new ServiceProcess(module, p, log);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + module, e);
    }
  }

  /** Waits until {@code url} answers 200. */
  public ServiceProcess awaitReady(String url, Duration timeout) {
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited early; see " + log.toAbsolutePath());
      }
      try {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        c.setConnectTimeout(500);
        c.setReadTimeout(1000);
        if (c.getResponseCode() == 200) {
          return this;
        }
      } catch (IOException e) {
        // not listening yet
      }
      sleep(200);
    }
    // nobody else holds it: it must not outlive the failed start
    close();
    throw new IllegalStateException(name + " not ready after " + timeout + "; see " + log);
  }

  /** Waits until the log contains {@code text}. */
  public ServiceProcess awaitLog(String text, Duration timeout) {
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      if (log().contains(text)) {
        return this;
      }
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited early; see " + log.toAbsolutePath());
      }
      sleep(100);
    }
    throw new IllegalStateException(name + ": no '" + text + "' after " + timeout + "; see " + log);
  }

  /** The process output so far. */
  public String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "";
    }
  }

  /** The operating-system process. */
  public Process process() {
    return process;
  }

  /** The module this process runs. */
  public String name() {
    return name;
  }

  /** True while the process runs. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** Kills the process at once ({@code kill -9}). */
  public void kill() {
    process.destroyForcibly();
    waitFor();
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  private void waitFor() {
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits for the process to stop by itself. */
  public boolean waitForExit(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
