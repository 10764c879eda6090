package io.coffer.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.coffer.testing.ServiceProcess;
import io.coffer.testing.TestEnv;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The one-command local run as the tests use it: on other ports, the test database and virtual
 * host, its own home, instance directory and loopback addresses, so that a suite running on this
 * machine is left alone.
 */
final class LocalRun {

  static final Path ROOT = ServiceProcess.repositoryRoot();
  static final Path SCRIPT = ROOT.resolve("deploy/local/coffer");
  static final Path HOME = Path.of("target", "coffer-home").toAbsolutePath();
  static final Path INSTANCES = Path.of("target", "instances").toAbsolutePath();
  static final int API_PORT = 18779;

  private LocalRun() {}

  /** What a command printed and how it ended. */
  record Result(int exit, String output) {}

  /** Runs {@code deploy/local/coffer} with arguments. */
  static Result coffer(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("bash", SCRIPT.toString()));
    cmd.addAll(List.of(args));
    return run(cmd, Map.of(), 300);
  }

  /**
   * Runs a command in the local run's environment, plus {@code extra}, with a deadline in seconds.
   */
  static Result run(List<String> cmd, Map<String, String> extra, int seconds)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile()).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.put("COFFER_HOME", HOME.toString());
    env.put("COFFER_API_PORT", Integer.toString(API_PORT));
    env.put("COFFER_TASKMANAGER_PORT", "18781");
    env.put("COFFER_CONDUCTOR_PORT", "18782");
    env.put("COFFER_DB_NAME", "coffer_test");
    env.put("COFFER_BUS_VIRTUAL_HOST", TestEnv.rabbitVhost());
    env.put("COFFER_TASKMANAGER_LOCAL_BASE_DIR", INSTANCES.toString());
    env.put("COFFER_TASKMANAGER_LOCAL_FIRST_ADDRESS", "127.0.3.1");
    env.put("COFFER_TASKMANAGER_LOCAL_LAST_ADDRESS", "127.0.3.254");
    env.putAll(extra);
    Process p = pb.start();
    // read while it runs: a full pipe would stall it
    byte[] out = p.getInputStream().readAllBytes();
    boolean ended = p.waitFor(seconds, TimeUnit.SECONDS);
    if (!ended) {
      p.destroyForcibly();
    }
    assertThat(ended).as("%s ended within %d s", cmd, seconds).isTrue();
    return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }
}
