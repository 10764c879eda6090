package io.coffer.taskmanager.compute.local;

import io.quarkus.logging.Log;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The process group of a local server: the guest agent is started in a session of its own (so
 * stopping the taskmanager does not stop databases), and its database server belongs to that group;
 * signalling the group reaches them all.
 */
final class LocalProcesses {

  private LocalProcesses() {}

  /**
   * The group recorded in {@code pidFile}, if it still has a live leader or member. A pid file
   * outlives its processes (a host restart), and the number may by then belong to an unrelated
   * process: a live leader counts only if it started when the pid file says ({@code <name>.start}
   * beside it) or, without that record, if it runs a Quarkus application. (While a group exists its
   * id is not given to another process, so a group whose leader is gone is still ours.)
   */
  static Optional<Long> group(Path pidFile) {
    try {
      if (!Files.exists(pidFile)) {
        return Optional.empty();
      }
      long pgid = Long.parseLong(Files.readString(pidFile).trim());
      if (pgid <= 1) {
        return Optional.empty();
      }
      Optional<ProcessHandle> leader = ProcessHandle.of(pgid);
      if (leader.isPresent()
          && (!ours(leader.get(), startFile(pidFile))
              || !ownSessionGroupOf(pgid).equals(Optional.of(pgid)))) {
        Log.warnf("%s names process %d, which is not ours any more: ignored", pidFile, pgid);
        return Optional.empty();
      }
      return alive(pgid) ? Optional.of(pgid) : Optional.empty();
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Records a started process: its pid, and its start time beside it. */
  static void record(Path pidFile, ProcessHandle p) throws IOException {
    Files.writeString(
        startFile(pidFile),
        p.info().startInstant().map(i -> Long.toString(i.toEpochMilli())).orElse(""));
    Files.writeString(pidFile, Long.toString(p.pid()));
  }

  /**
   * Live processes whose working directory is {@code dir} or below it, also when that directory has
   * been removed since (the kernel then reports it with a {@code " (deleted)"} suffix): what runs
   * for an instance whether or not a pid file recorded it.
   */
  static Map<Long, Path> workingUnder(Path dir) {
    Map<Long, Path> found = new TreeMap<>();
    try (DirectoryStream<Path> proc = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path p : proc) {
        long pid = Long.parseLong(p.getFileName().toString());
        if (pid == ProcessHandle.current().pid()) {
          continue;
        }
        workingDirectory(pid).filter(d -> d.startsWith(dir)).ifPresent(d -> found.put(pid, d));
      }
    } catch (IOException | NumberFormatException e) {
      Log.debugf("cannot list processes: %s", e.getMessage());
    }
    return found;
  }

  /** Whether a live process is a guest agent (a Quarkus application, not a database server). */
  static boolean isGuestAgent(long pid) {
    return ProcessHandle.of(pid)
        .flatMap(h -> h.info().commandLine())
        .map(c -> c.contains("quarkus-run.jar"))
        .orElse(false);
  }

  /**
   * The process group a guest runs in, if it is a session of its own (its group leads its session,
   * as {@code setsid} makes it). A process caught before its {@code setsid} took effect is still in
   * its parent's group — the taskmanager's, or a shell's — and signalling that group would hit
   * processes that are not the guest's.
   */
  static Optional<Long> ownSessionGroupOf(long pid) {
    Optional<Long> group = statField(pid, 2);
    Optional<Long> session = statField(pid, 3);
    return group.isPresent() && group.equals(session) ? group : Optional.empty();
  }

  private static Optional<Long> statField(long pid, int index) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // pid (comm) state ppid pgrp session …: comm may hold spaces and parentheses
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Optional.of(Long.parseLong(fields[index]));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static Path startFile(Path pidFile) {
    String name = pidFile.getFileName().toString().replaceFirst("\\.pid$", "");
    return pidFile.resolveSibling(name + ".start");
  }

  private static boolean ours(ProcessHandle leader, Path startFile) throws IOException {
    String recorded = Files.exists(startFile) ? Files.readString(startFile).trim() : "";
    Optional<java.time.Instant> started = leader.info().startInstant();
    if (!recorded.isEmpty() && started.isPresent()) {
      // start times are kept in clock ticks: allow for their rounding
      return Math.abs(started.get().toEpochMilli() - Long.parseLong(recorded)) < 1000;
    }
    return leader.info().commandLine().orElse("").contains("quarkus-run.jar");
  }

  /**
   * The working directory of a live process, if it can be read; a removed directory is given by the
   * path it had.
   */
  static Optional<Path> workingDirectory(long pid) {
    try {
      String cwd =
          Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "cwd"))
              .toString()
              .replaceFirst(" \\(deleted\\)$", "");
      return Optional.of(Path.of(cwd));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Whether any process of the group lives. */
  static boolean alive(long pgid) {
    return signal(pgid, "0");
  }

  /** Stops the group: TERM, then KILL after {@code graceSeconds}. */
  static void stop(long pgid, int graceSeconds) {
    signal(pgid, "TERM");
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(graceSeconds);
    while (alive(pgid) && System.nanoTime() < end) {
      sleep(100);
    }
    if (alive(pgid)) {
      Log.warnf("process group %d ignored TERM, killing it", pgid);
      signal(pgid, "KILL");
      for (int i = 0; i < 50 && alive(pgid); i++) {
        sleep(100);
      }
    }
  }

  private static boolean signal(long pgid, String signal) {
    try {
      Process p =
          new ProcessBuilder("kill", "-" + signal, "--", "-" + pgid)
              .redirectErrorStream(true)
              .start();
      p.getInputStream().readAllBytes();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Kills one process (e.g. a postmaster left in another group), only if it works in {@code dir}:
   * the pid may have been given to another process since it was recorded.
   */
  static void kill(long pid, Path dir) {
    if (pid <= 1 || !workingDirectory(pid).map(d -> d.startsWith(dir)).orElse(false)) {
      return;
    }
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
  }

  /**
   * Whether a process runs: exists and is not a zombie (a killed process nobody has reaped yet
   * still answers signal 0, and a database server's lock check takes it for a live server).
   */
  static boolean running(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      int close = stat.lastIndexOf(')');
      char state = close > 0 && close + 2 < stat.length() ? stat.charAt(close + 2) : 'X';
      return state != 'Z' && state != 'X';
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Shuts a database server down cleanly with {@code signal} (PostgreSQL's fast shutdown is INT:
   * sessions end, a checkpoint, its lock file removed; MariaDB's is TERM), waiting up to {@code
   * graceSeconds}; true when it is gone. Only a process working in {@code dir} is signalled.
   */
  static boolean shutDown(long pid, Path dir, String signal, int graceSeconds) {
    if (pid <= 1 || !workingDirectory(pid).map(d -> d.startsWith(dir)).orElse(false)) {
      return !running(pid);
    }
    try {
      new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
          .redirectErrorStream(true)
          .start()
          .waitFor(10, TimeUnit.SECONDS);
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(graceSeconds);
    while (running(pid) && System.nanoTime() < end) {
      sleep(100);
    }
    return !running(pid);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
