package io.coffer.taskmanager.task;

import static org.assertj.core.api.Assertions.assertThat;

import io.coffer.testing.Datastores;
import io.coffer.testing.Db;
import io.coffer.testing.Fixtures;
import io.coffer.testing.Projects;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Which sources automatic failover considers, and that its claim goes to exactly one of several
 * taskmanagers racing for it (the database decides).
 */
@QuarkusTest
class AutomaticFailoverTest {

  @Inject AutomaticFailover failover;

  private static String pg() {
    return Datastores.version("postgresql", "15", "postgresql", true);
  }

  private static String source(String project, Instant heartbeat, Boolean auto) {
    String id =
        Fixtures.instance(project)
            .datastoreVersion(pg())
            .service(0x01, "running", heartbeat)
            .insert();
    Db.update("UPDATE instances SET auto_failover = ? WHERE id = ?", auto, id);
    return id;
  }

  private static String replicaOf(String project, String source) {
    String id = Fixtures.instance(project).datastoreVersion(pg()).insert();
    Db.update("UPDATE instances SET slave_of_id = ? WHERE id = ?", source, id);
    return id;
  }

  private List<String> candidates() throws Exception {
    return failover.silentSources().stream().map(s -> s[0]).toList();
  }

  @Test
  void onlySilentOptedInSourcesWithReplicasAreConsidered() throws Exception {
    String project = Projects.fresh();
    Instant silent = Instant.now().minusSeconds(3600);
    String optedIn = source(project, silent, true);
    replicaOf(project, optedIn);
    String optedOut = source(project, silent, false);
    replicaOf(project, optedOut);
    // no choice of its own: the operator's default (off here)
    String byDefault = source(project, silent, null);
    replicaOf(project, byDefault);
    String alone = source(project, silent, true);
    String reporting = source(project, Instant.now(), true);
    replicaOf(project, reporting);

    List<String> found = candidates();
    assertThat(found).contains(optedIn);
    assertThat(found).doesNotContain(optedOut, byDefault, alone, reporting);
    // claimed, it is left alone by the taskmanager's own checks
    assertThat(failover.claim(optedIn)).isTrue();
  }

  @Test
  void severalTaskmanagersRacingForOneSourceClaimItOnce() throws Exception {
    String project = Projects.fresh();
    String source = source(project, Instant.now().minusSeconds(3600), true);
    String replica = replicaOf(project, source);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<Boolean>> racers = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        racers.add(() -> failover.claim(source));
      }
      List<Boolean> won = new ArrayList<>();
      for (Future<Boolean> f : pool.invokeAll(racers)) {
        won.add(f.get());
      }
      assertThat(won.stream().filter(Boolean::booleanValue).count()).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
    // the source and its replica are in the ejection; a claimed source is no candidate any more
    assertThat(Db.value("SELECT task_id FROM instances WHERE id = ?", source)).isEqualTo(0x09);
    assertThat(Db.value("SELECT task_id FROM instances WHERE id = ?", replica)).isEqualTo(0x09);
    assertThat(candidates()).doesNotContain(source);
    assertThat(failover.claim(source)).isFalse();
  }
}
