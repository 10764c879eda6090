package io.coffer.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every benchmark in {@code bench/} runs as a user would after the README's two commands, here with
 * a tiny workload: each must end well and print its figures. They run against the test local run
 * (its ports, database and virtual host), with short heartbeat settings so that a failover need not
 * wait the default 90 s.
 */
class BenchScriptsTest {

  private static final Map<String, String> QUICK =
      Map.of(
          "COFFER_DEMO", "0",
          "COFFER_API_HEARTBEAT_EXPIRY", "10s",
          "COFFER_CONDUCTOR_HEARTBEAT_EXPIRY", "10s",
          "COFFER_TASKMANAGER_GUEST_HEARTBEAT_INTERVAL", "2s",
          "COFFER_BENCH_DB", "coffer_test",
          "COFFER_BENCH_VHOST", io.coffer.testing.TestEnv.rabbitVhost());

  @BeforeAll
  static void up() throws Exception {
    LocalRun.Result up =
        LocalRun.run(List.of("bash", LocalRun.SCRIPT.toString(), "up"), QUICK, 300);
    assertThat(up.exit()).as(up.output()).isZero();
  }

  @AfterAll
  static void down() throws Exception {
    LocalRun.coffer("down");
  }

  private static String bench(String script, String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of("bash", "bench/" + script));
    cmd.addAll(List.of(args));
    LocalRun.Result r = LocalRun.run(cmd, QUICK, 600);
    assertThat(r.exit()).as("bench/%s:%n%s", script, r.output()).isZero();
    return r.output();
  }

  @Test
  void api() throws Exception {
    assertThat(bench("api.sh", "1"))
        .contains("== list, 20 per page, 1000 instances")
        .contains("== show one instance")
        .containsPattern("Requests/sec: +[0-9.]+");
  }

  @Test
  void provision() throws Exception {
    assertThat(bench("provision.sh", "1"))
        .containsPattern("POST -> ACTIVE/HEALTHY over 1 creates: median [0-9]+ ms")
        .containsPattern("guest agent RSS at idle .*: [0-9]+ MB")
        .contains("cleanup: 1 instance(s) deleted");
  }

  @Test
  void density() throws Exception {
    assertThat(bench("density.sh", "2", "3", "5"))
        .containsPattern("without the fleet \\(baseline, before\\): [0-9]+ ms")
        .containsPattern("burst of 2 creates: all ACTIVE/HEALTHY after [0-9]+ ms")
        .containsPattern("guest agent per instance: PSS [1-9][0-9]* MB, RSS [1-9][0-9]* MB")
        .containsPattern("database server per instance .*: PSS [1-9][0-9]* MB, RSS [1-9][0-9]* MB")
        .containsPattern("fleet CPU at idle over 3 s: [0-9.]+ % of one core")
        .containsPattern("one more while 2 run: [0-9]+ ms")
        .containsPattern("one more under load vs baseline: [0-9.]+x");
  }

  @Test
  void backup() throws Exception {
    assertThat(bench("backup.sh", "1"))
        .containsPattern("plain pg_basebackup -Ft: [0-9]+ MB in [0-9]+ ms")
        .containsPattern("Coffer backup \\(POST -> COMPLETED\\): [0-9]+ MB in [0-9]+ ms")
        .containsPattern("Coffer restore .*: [0-9]+ ms")
        .containsPattern("restored data check: source (\\S+), restored \\1");
  }

  @Test
  void mariadb() throws Exception {
    assertThat(bench("mariadb.sh", "20"))
        .containsPattern("create raw .*: avg [0-9]+ ms")
        .containsPattern("create Coffer \\(POST -> ACTIVE/HEALTHY\\): .*avg [0-9]+ ms")
        .containsPattern("raw mariadb-backup --stream: .*avg [0-9]+ MB/s")
        .containsPattern("Coffer backup \\(POST -> COMPLETED\\): [0-9]+ MB in [0-9]+ ms")
        .containsPattern("restored data check: source ([0-9]+), restored \\1")
        .containsPattern("replica creation .*: [0-9]+ ms")
        .containsPattern("switchover \\(promote -> both ACTIVE/HEALTHY\\): [0-9]+ ms")
        .contains("cleanup: the backup and the instances are deleted");
  }

  @Test
  void replication() throws Exception {
    assertThat(bench("replication.sh", "1", "1"))
        .containsPattern("replica creation .*: median [0-9]+ ms")
        .containsPattern("switchover \\(promote\\): +median [0-9]+ ms")
        .containsPattern("failover \\(eject, after expiry\\): +median [0-9]+ ms");
  }

  @Test
  void conductor() throws Exception {
    assertThat(
            bench(
                "conductor.sh",
                "--guests",
                "50",
                "--rate",
                "200",
                "--seconds",
                "2",
                "--backlog",
                // drained in a second or more even on a fast run: a rate can be read off it
                "50000",
                "--port",
                "18790"))
        .containsPattern("result: sustained [0-9]+ heartbeats/s; capacity [0-9]+/s batched")
        .doesNotContain(" drained at 0/s")
        .containsPattern("verified: ([0-9]+) of \\1 instances hold exactly their last");
  }
}
