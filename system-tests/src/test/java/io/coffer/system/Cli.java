package io.coffer.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command-line client (openstack, trove) with an environment of OS_* variables. */
final class Cli {

  private Cli() {}

  /** What a client printed: its standard output and its standard error. */
  record Run(String out, String err) {}

  /**
   * Runs {@code command} with {@code env} in place of the caller's OS_* variables; fails unless it
   * exits 0 within two minutes.
   */
  static Run run(Map<String, String> env, List<String> command)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().keySet().removeIf(k -> k.startsWith("OS_"));
    pb.environment().putAll(env);
    Path err = Files.createTempFile("cli-", ".err");
    try {
      pb.redirectError(err.toFile());
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
      String errors = Files.readString(err);
      assertThat(p.exitValue()).as(String.join(" ", command) + "\n" + out + errors).isZero();
      return new Run(out, errors);
    } finally {
      Files.deleteIfExists(err);
    }
  }
}
