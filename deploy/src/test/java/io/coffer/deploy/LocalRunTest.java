package io.coffer.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.coffer.testing.ServiceProcess;
import io.coffer.testing.TestEnv;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The README's bring-up command, run as a user would: {@code up} gets the three control-plane
 * daemons ready, {@code up} again is harmless, {@code status} shows them, {@code down} leaves no
 * process behind. It runs on other ports, the test database and the test virtual host.
 */
class LocalRunTest {

  private static final Path SCRIPT = ServiceProcess.repositoryRoot().resolve("deploy/local/coffer");
  private static final Path HOME = Path.of("target", "coffer-home").toAbsolutePath();
  private static final Path INSTANCES = Path.of("target", "instances").toAbsolutePath();

  private record Result(int exit, String output) {}

  private static Result coffer(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("bash", SCRIPT.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.put("COFFER_HOME", HOME.toString());
    env.put("COFFER_API_PORT", "18779");
    env.put("COFFER_TASKMANAGER_PORT", "18781");
    env.put("COFFER_CONDUCTOR_PORT", "18782");
    env.put("COFFER_DB_NAME", "coffer_test");
    env.put("COFFER_BUS_VIRTUAL_HOST", TestEnv.rabbitVhost());
    // its own instance directory and loopback addresses: a suite running here is left alone
    env.put("COFFER_TASKMANAGER_LOCAL_BASE_DIR", INSTANCES.toString());
    env.put("COFFER_TASKMANAGER_LOCAL_FIRST_ADDRESS", "127.0.3.1");
    env.put("COFFER_TASKMANAGER_LOCAL_LAST_ADDRESS", "127.0.3.254");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), out);
  }

  private static List<Long> pids() throws IOException {
    List<Long> pids = new ArrayList<>();
    Path run = HOME.resolve("run");
    if (Files.isDirectory(run)) {
      try (var files = Files.list(run)) {
        for (Path f : files.toList()) {
          pids.add(Long.parseLong(Files.readString(f).trim()));
        }
      }
    }
    return pids;
  }

  private static List<Long> guests() throws IOException {
    List<Long> out = new ArrayList<>();
    try (var dirs = Files.list(INSTANCES)) {
      for (Path d : dirs.toList()) {
        if (Files.exists(d.resolve("guest.pid"))) {
          out.add(Long.parseLong(Files.readString(d.resolve("guest.pid")).trim()));
        }
      }
    }
    return out;
  }

  @Test
  void upStatusDownLeavesNothingRunning() throws Exception {
    try {
      Result up = coffer("up");
      assertThat(up.exit()).as(up.output()).isZero();
      assertThat(up.output()).contains("Coffer is up").contains("http://127.0.0.1:18779");
      // the main job: a real PostgreSQL instance, connected to
      assertThat(up.output())
          .contains("is ACTIVE/HEALTHY at 127.0.3.")
          .contains("connected as demo to demo: PostgreSQL 15");
      assertThat(up.output()).contains("psql -h 127.0.3.");
      List<Long> started = pids();
      assertThat(started).hasSize(3);
      List<Long> guests = guests();
      assertThat(guests).isNotEmpty();

      Result again = coffer("up");
      assertThat(again.exit()).as(again.output()).isZero();
      assertThat(again.output()).contains("already running");
      assertThat(pids()).containsExactlyInAnyOrderElementsOf(started);

      Result status = coffer("status");
      assertThat(status.output().lines().filter(l -> l.contains("running") && l.contains("ready")))
          .hasSize(3);

      Result down = coffer("down");
      assertThat(down.exit()).isZero();
      for (long pid : started) {
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
            .as("pid %d after down", pid)
            .isFalse();
      }
      assertThat(coffer("status").output().lines().filter(l -> l.contains("stopped"))).hasSize(3);
      assertThat(down.output()).contains("database instance(s) stopped");
      for (long pgid : guests) {
        assertThat(ProcessHandle.of(pgid).map(ProcessHandle::isAlive).orElse(false))
            .as("guest agent %d after down", pgid)
            .isFalse();
      }
      assertThat(
              ProcessHandle.allProcesses()
                  .filter(p -> p.info().commandLine().orElse("").contains(INSTANCES.toString())))
          .as("database servers of the local instances after down")
          .isEmpty();
    } finally {
      coffer("down");
    }
  }
}
