package io.coffer.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The README's bring-up command, run as a user would: {@code up} gets the three control-plane
 * daemons ready, {@code up} again is harmless, {@code status} shows them, {@code down} leaves no
 * process behind. It runs on other ports, the test database and the test virtual host.
 */
class LocalRunTest {

  private static final Path HOME = LocalRun.HOME;
  private static final Path INSTANCES = LocalRun.INSTANCES;

  private static LocalRun.Result coffer(String... args) throws Exception {
    return LocalRun.coffer(args);
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

  private static String demoId(String upOutput) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("demo instance ([0-9a-f-]{36}) is ACTIVE")
            .matcher(upOutput);
    assertThat(m.find()).as(upOutput).isTrue();
    return m.group(1);
  }

  private static List<String> mountsUnder(Path dir) throws IOException {
    String prefix = dir.toString() + "/";
    return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
        .map(l -> l.split(" ")[4])
        .filter(m -> m.startsWith(prefix))
        .toList();
  }

  @Test
  void upStatusDownLeavesNothingRunning() throws Exception {
    try {
      LocalRun.Result up = coffer("up");
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

      // the OpenStack client commands it printed work as printed
      String export =
          up.output()
              .lines()
              .dropWhile(l -> !l.strip().startsWith("export OS_AUTH_TYPE"))
              .limit(2)
              .map(String::strip)
              .reduce(
                  "", (a, b) -> a.endsWith("\\") ? a.substring(0, a.length() - 1) + " " + b : b);
      assertThat(export).startsWith("export OS_AUTH_TYPE=admin_token");
      LocalRun.Result client =
          LocalRun.run(
              List.of(
                  "bash",
                  "-c",
                  export
                      + " && openstack datastore list -f value -c Name"
                      + " && openstack database instance list -f value -c Name -c Status"),
              Map.of(),
              120);
      assertThat(client.exit()).as(client.output()).isZero();
      assertThat(client.output()).contains("postgresql").contains("demo ACTIVE");

      LocalRun.Result again = coffer("up");
      assertThat(again.exit()).as(again.output()).isZero();
      assertThat(again.output()).contains("already running");
      assertThat(pids()).containsExactlyInAnyOrderElementsOf(started);

      LocalRun.Result status = coffer("status");
      assertThat(status.output().lines().filter(l -> l.contains("running") && l.contains("ready")))
          .hasSize(3);
      // what the local driver enforces on this host, or why not, is said
      assertThat(status.output())
          .contains("local driver  isolation: ")
          .contains("local driver  limits: ")
          .contains("local driver  volumes: ");
      String demo = demoId(up.output());

      LocalRun.Result down = coffer("down");
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
      assertThat(mountsUnder(INSTANCES)).as("volumes mounted after down").isEmpty();

      // up again: the same demo instance comes back with its data, not a new one
      LocalRun.Result back = coffer("up");
      assertThat(back.exit()).as(back.output()).isZero();
      assertThat(back.output())
          .doesNotContain("creating the demo")
          .contains("demo instance " + demo + " is ACTIVE/HEALTHY")
          .contains("connected as demo to demo");
    } finally {
      coffer("down");
    }
  }
}
