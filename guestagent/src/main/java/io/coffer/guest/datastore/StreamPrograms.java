package io.coffer.guest.datastore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Programs that produce or consume a backup stream (pg_basebackup, mariadb-backup, tar, mbstream):
 * started with their errors in a log file, killed when they outlive the backup's deadline, and
 * checked when they end. Shared by every engine.
 */
public final class StreamPrograms {

  private StreamPrograms() {}

  /** Starts {@code cmd} in {@code dir}, stderr to {@code log}, stdout a pipe. */
  public static Process start(
      List<String> cmd, Path dir, Path log, ProcessBuilder.Redirect input, Duration deadline)
      throws IOException {
    return start(cmd, dir, log, input, deadline, Map.of());
  }

  /** Like {@link #start(List, Path, Path, ProcessBuilder.Redirect, Duration)}, with {@code env}. */
  public static Process start(
      List<String> cmd,
      Path dir,
      Path log,
      ProcessBuilder.Redirect input,
      Duration deadline,
      Map<String, String> env)
      throws IOException {
    Files.createDirectories(log.getParent());
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .directory(dir.toFile())
            .redirectError(log.toFile())
            .redirectInput(input);
    pb.environment().putAll(env);
    Process p = pb.start();
    // a program that runs longer than the backup may is killed
    p.onExit()
        .orTimeout(deadline.toMillis(), TimeUnit.MILLISECONDS)
        .exceptionally(
            e -> {
              p.destroyForcibly();
              return p;
            });
    return p;
  }

  /** Waits for a program; its log when it succeeded, an error with the log's tail otherwise. */
  public static String finish(Process p, String name, Path log, Duration deadline)
      throws IOException {
    try {
      if (!p.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IOException(name + " did not finish in time");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IOException("interrupted while waiting for " + name, e);
    }
    String output = Files.exists(log) ? Files.readString(log) : "";
    if (p.exitValue() != 0) {
      String tail = output.length() > 1500 ? output.substring(output.length() - 1500) : output;
      throw new IOException(name + " failed (exit " + p.exitValue() + "): " + tail.strip());
    }
    return output;
  }

  /** Deletes a directory tree; a missing one is fine. */
  public static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    }
  }
}
