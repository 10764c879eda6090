package io.coffer.guest.datastore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/** Runs a program of the database server (initdb, pg_ctl, …) with a deadline. */
public final class Command {

  private static final Logger LOG = Logger.getLogger(Command.class);

  private Command() {}

  /** What a program printed and how it ended. */
  public record Result(int exit, String output) {}

  /**
   * Runs {@code command}, waits up to {@code timeout}, and returns its exit code and output.
   *
   * @throws GuestError when it cannot start or does not end in time
   */
  public static Result run(List<String> command, Path workDir, Duration timeout) {
    return run(command, workDir, timeout, Map.of());
  }

  /** Runs {@code command} with {@code env} added to its environment; see {@link #run}. */
  public static Result run(
      List<String> command, Path workDir, Duration timeout, Map<String, String> env) {
    List<String> cmd = new ArrayList<>(command);
    Path log = null;
    try {
      // output goes to a file: a chatty program can never block on a full pipe
      log = Files.createTempFile("coffer-cmd", ".log");
      ProcessBuilder pb =
          new ProcessBuilder(cmd)
              .directory(workDir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      pb.environment().putAll(env);
      Process p = pb.start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new GuestError(
            cmd.get(0) + " did not finish within " + timeout.toSeconds() + " s", (Throwable) null);
      }
      String output = Files.readString(log);
      LOG.debugf("%s exited %d", cmd.get(0), p.exitValue());
      return new Result(p.exitValue(), output);
    } catch (IOException e) {
      throw new GuestError("cannot run " + cmd.get(0) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new GuestError("interrupted while running " + cmd.get(0), e);
    } finally {
      if (log != null) {
        try {
          Files.deleteIfExists(log);
        } catch (IOException e) {
          LOG.debugf("cannot delete %s", log);
        }
      }
    }
  }

  /** Runs a command that must succeed. */
  public static String check(List<String> command, Path workDir, Duration timeout) {
    return check(command, workDir, timeout, Map.of());
  }

  /** Runs a command that must succeed, with {@code env} added to its environment. */
  public static String check(
      List<String> command, Path workDir, Duration timeout, Map<String, String> env) {
    Result r = run(command, workDir, timeout, env);
    if (r.exit() != 0) {
      String tail =
          r.output().length() > 2000
              ? r.output().substring(r.output().length() - 2000)
              : r.output();
      throw new GuestError(
          Path.of(command.get(0)).getFileName()
              + " failed (exit "
              + r.exit()
              + "): "
              + tail.strip(),
          (Throwable) null);
    }
    return r.output();
  }
}
