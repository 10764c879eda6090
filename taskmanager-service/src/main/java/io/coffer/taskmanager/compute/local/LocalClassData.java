package io.coffer.taskmanager.compute.local;

import io.coffer.taskmanager.config.TaskManagerConfig;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One class data archive for all the guest agents of the host. Each guest is a JVM; without it,
 * each loads and keeps its own copy of the same few thousand classes. The taskmanager runs the
 * guest once in a training run (it starts, exercises what a working guest uses, and exits) with
 * {@code -XX:ArchiveClassesAtExit}; from then on every guest maps that archive read-only, shared by
 * all of them, and maps the JDK's own archive at its fixed address so that it stays shared too
 * (relocated, each JVM would patch, and so privately copy, all of it).
 *
 * <p>The archive is named after everything it depends on (the guest jar, the JVM, the options): a
 * new build or JDK gets a new one. A JVM that cannot use it runs without it.
 */
@ApplicationScoped
class LocalClassData {

  /** Options every guest gets: the JDK's archive at its own address, not relocated. */
  private static final List<String> FIXED_ADDRESS =
      List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:ArchiveRelocationMode=0");

  private final TaskManagerConfig config;
  private volatile Path archive;
  private volatile String state = "not created yet";

  LocalClassData(TaskManagerConfig config) {
    this.config = config;
  }

  /** What guests get, for the startup log and the health check. */
  String describe() {
    if (!config.local().classDataSharing()) {
      return "off (local.class-data-sharing=false)";
    }
    Path a = archive;
    return a != null ? "every guest maps " + a + " (shared, read-only)" : state;
  }

  /** The JVM options of a guest started now. */
  List<String> jvmOptions() {
    if (!config.local().classDataSharing()) {
      return List.of();
    }
    List<String> options = new ArrayList<>(FIXED_ADDRESS);
    Path a = archive;
    if (a != null) {
      options.add("-XX:SharedArchiveFile=" + a);
    }
    return options;
  }

  /**
   * Finds the archive for this guest jar, JVM and options under {@code dir}, or creates it with a
   * training run (seconds); guests started meanwhile run without it.
   */
  void prepare(Path dir, Path java, Path jar, List<String> guestOptions) {
    if (!config.local().classDataSharing()) {
      return;
    }
    try {
      Path target = dir.resolve("guest-" + key(java, jar, guestOptions) + ".jsa");
      if (Files.isRegularFile(target)) {
        archive = target;
        return;
      }
      state = "being created in " + dir;
      Files.createDirectories(dir);
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      removeOthers(dir, target);
      long start = System.nanoTime();
      train(dir, java, jar, guestOptions, target);
      archive = target;
      Log.infof(
          "local compute driver: shared class archive for guests created in %d ms (%s, %d MB)",
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start),
          target,
          Files.size(target) / (1024 * 1024));
    } catch (IOException | RuntimeException e) {
      state = "off (the training run failed: " + e.getMessage() + ")";
      Log.warnf("local compute driver: no shared class archive for guests: %s", e.getMessage());
    }
  }

  private static String key(Path java, Path jar, List<String> options) throws IOException {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      for (String part :
          List.of(
              jar.toAbsolutePath().toString(),
              Long.toString(Files.size(jar)),
              Long.toString(Files.getLastModifiedTime(jar).toMillis()),
              java.toAbsolutePath().toString(),
              Long.toString(Files.getLastModifiedTime(java.toRealPath()).toMillis()),
              String.join(" ", options))) {
        d.update(part.getBytes(StandardCharsets.UTF_8));
        d.update((byte) 0);
      }
      return HexFormat.of().formatHex(d.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void removeOthers(Path dir, Path keep) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        if (!f.equals(keep) && f.getFileName().toString().startsWith("guest-")) {
          Files.deleteIfExists(f);
        }
      }
    }
  }

  private void train(Path dir, Path java, Path jar, List<String> guestOptions, Path target)
      throws IOException {
    Path work = dir.resolve("training-" + UUID.randomUUID());
    Path partial = dir.resolve(target.getFileName() + ".part");
    try {
      Files.createDirectories(work.resolve("config"));
      Properties p = new Properties();
      p.setProperty("coffer.guest.instance-id", UUID.randomUUID().toString());
      p.setProperty("coffer.guest.tenant-id", "class-data-training");
      p.setProperty("coffer.guest.data-dir", work.resolve("data").toString());
      p.setProperty("coffer.guest.bind-address", "127.0.0.1");
      p.setProperty("coffer.guest.heartbeat-interval", "1s");
      p.setProperty("coffer.guest.backup-path", work.resolve("backups").toString());
      p.setProperty("coffer.guest.class-data-training", "true");
      // no broker: the guest starts, retries in the background, and leaves when done
      p.setProperty("coffer.bus.host", "127.0.0.1");
      p.setProperty("coffer.bus.port", "1");
      p.setProperty("coffer.bus.username", "class-data-training");
      p.setProperty("coffer.bus.password", "class-data-training");
      p.setProperty("quarkus.http.host", "127.0.0.1");
      p.setProperty("quarkus.http.port", "0");
      try (OutputStream out =
          Files.newOutputStream(work.resolve("config/application.properties"))) {
        p.store(out, "class data training run");
      }
      Files.deleteIfExists(partial);
      List<String> cmd = new ArrayList<>();
      cmd.add(java.toString());
      cmd.addAll(guestOptions);
      cmd.addAll(FIXED_ADDRESS);
      cmd.add("-XX:ArchiveClassesAtExit=" + partial);
      cmd.add("-Dquarkus.banner.enabled=false");
      cmd.add("-jar");
      cmd.add(jar.toString());
      Path log = work.resolve("training.log");
      Process proc =
          new ProcessBuilder(cmd)
              .directory(work.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
      try {
        if (!proc.waitFor(120, TimeUnit.SECONDS)) {
          proc.destroyForcibly();
          throw new IOException("the training run did not end within 120 s");
        }
      } catch (InterruptedException e) {
        proc.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
      if (proc.exitValue() != 0 || !Files.isRegularFile(partial)) {
        String out = Files.readString(log);
        throw new IOException(
            "exit "
                + proc.exitValue()
                + ": "
                + (out.length() > 500 ? out.substring(out.length() - 500) : out).strip());
      }
      Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rw-r--r--"));
      Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(partial);
      deleteTree(work);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path f : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(f);
      }
    }
  }

  /** The archive guests map now, if there is one. */
  Optional<Path> archive() {
    return Optional.ofNullable(archive);
  }
}
