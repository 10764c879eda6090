package io.coffer.taskmanager.compute.local;

import io.quarkus.logging.Log;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The process group of a local server: the guest agent is started in a session of its own (so
 * stopping the taskmanager does not stop databases), and its database server belongs to that group;
 * signalling the group reaches them all.
 */
final class LocalProcesses {

  private LocalProcesses() {}

  /** The group recorded in {@code pidFile}, if it still has a live leader or member. */
  static Optional<Long> group(Path pidFile) {
    try {
      if (!Files.exists(pidFile)) {
        return Optional.empty();
      }
      long pgid = Long.parseLong(Files.readString(pidFile).trim());
      return alive(pgid) ? Optional.of(pgid) : Optional.empty();
    } catch (IOException | NumberFormatException e) {
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

  /** Kills one process (e.g. a postmaster left in another group). */
  static void kill(long pid) {
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
