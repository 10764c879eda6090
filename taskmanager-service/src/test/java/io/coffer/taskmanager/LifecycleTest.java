package io.coffer.taskmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.coffer.bus.BusClient;
import io.coffer.model.common.FlavorInfo;
import io.coffer.model.routing.Topics;
import io.coffer.model.rpc.RequestContext;
import io.coffer.model.status.InstanceTask;
import io.coffer.model.taskmanager.CreateInstanceArgs;
import io.coffer.model.taskmanager.TaskManagerMethods;
import io.coffer.taskmanager.compute.local.LocalComputeDriver;
import io.coffer.testing.Datastores;
import io.coffer.testing.Db;
import io.coffer.testing.Fixtures;
import io.coffer.testing.Projects;
import io.coffer.testing.ServiceProcess;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The taskmanager's lifecycle against real guests: idempotent creates, deadlines. */
@QuarkusTest
class LifecycleTest {

  @Inject BusClient bus;
  @Inject LocalComputeDriver compute;
  @Inject MeterRegistry registry;

  private long tasksEnded(String task, String outcome) {
    Timer t = registry.find("coffer.tasks").tags("task", task, "outcome", outcome).timer();
    return t == null ? 0 : t.count();
  }

  private static CreateInstanceArgs create(String id) {
    return new CreateInstanceArgs(
        List.of(id),
        List.of("idem"),
        new FlavorInfo("1", "m1.tiny", 512, 1, 1, 0, 0),
        null,
        List.of(),
        List.of(),
        "postgresql",
        "",
        1,
        null,
        null,
        null,
        List.of(),
        Map.of(),
        null,
        null,
        null,
        null,
        null,
        null,
        "15",
        null,
        null);
  }

  @Test
  void aRedeliveredCreateMakesNoSecondServer() throws Exception {
    String pg = Datastores.version("postgresql", "15", "postgresql", true);
    String id = Fixtures.instance(Projects.fresh()).datastoreVersion(pg).building().insert();
    // the guest's heartbeats reach the instance through a real conductor
    try (ServiceProcess conductor =
        ServiceProcess.start("conductor-service", Map.of("quarkus.http.port", "28792"))
            .awaitReady("http://127.0.0.1:28792/q/health/ready", Duration.ofSeconds(60))) {
      redeliveredCreate(id);
    }
  }

  private void redeliveredCreate(String id) throws Exception {
    try {
      // the same task twice, as a redelivery after a crash would bring it
      bus.cast(
          Topics.TASKMANAGER,
          TaskManagerMethods.CREATE_INSTANCE,
          RequestContext.service(),
          create(id));
      bus.cast(
          Topics.TASKMANAGER,
          TaskManagerMethods.CREATE_INSTANCE,
          RequestContext.service(),
          create(id));
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  Integer.valueOf(1)
                      .equals(Db.value("SELECT task_id FROM instances WHERE id = ?", id)));
      assertThat(Db.value("SELECT count(*) FROM compute_addresses WHERE instance_id = ?", id))
          .isEqualTo(1L);
      long pgid =
          Long.parseLong(
              Files.readString(compute.baseDir().resolve(id).resolve("guest.pid")).trim());
      assertThat(ProcessHandle.of(pgid).map(ProcessHandle::isAlive).orElse(false)).isTrue();
      assertThat(
              ProcessHandle.allProcesses()
                  .filter(p -> p.info().commandLine().orElse("").contains("guestagent"))
                  .filter(p -> p.info().commandLine().orElse("").contains("quarkus-run.jar"))
                  .filter(p -> readCwd(p.pid()).contains(id)))
          .hasSize(1);
    } finally {
      compute.delete(id);
    }
    assertThat(Files.exists(compute.baseDir().resolve(id))).isFalse();
  }

  private static String readCwd(long pid) {
    try {
      return Files.readSymbolicLink(java.nio.file.Path.of("/proc", Long.toString(pid), "cwd"))
          .toString();
    } catch (Exception e) {
      return "";
    }
  }

  @Test
  void overdueTasksEndInErrorWithAFault() {
    String project = Projects.fresh();
    long rebootsFailed = tasksEnded("rebooting", "failed");
    long resizesFailed = tasksEnded("resizing", "failed");
    String restarting =
        Fixtures.instance(project)
            .task(InstanceTask.REBOOTING.code(), InstanceTask.REBOOTING.dbText())
            .insert();
    String resizing =
        Fixtures.instance(project)
            .task(InstanceTask.RESIZING.code(), InstanceTask.RESIZING.dbText())
            .insert();
    Timestamp past = Timestamp.from(Instant.now().minusSeconds(5));
    Db.update(
        "UPDATE instances SET task_deadline = ?, task_start_time = ? WHERE id IN (?, ?)",
        past,
        past,
        restarting,
        resizing);
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () -> {
              assertThat(Db.value("SELECT task_id FROM instances WHERE id = ?", restarting))
                  .isEqualTo(InstanceTask.REBOOTING_ERROR.code());
              assertThat(Db.value("SELECT task_id FROM instances WHERE id = ?", resizing))
                  .isEqualTo(InstanceTask.RESIZING_ERROR.code());
            });
    assertThat(
            (String)
                Db.value("SELECT message FROM instance_faults WHERE instance_id = ?", restarting))
        .contains("did not finish before its deadline");
    // each failure counted by task, with the time since the task started (at least 5 s)
    assertThat(tasksEnded("rebooting", "failed")).isEqualTo(rebootsFailed + 1);
    assertThat(tasksEnded("resizing", "failed")).isEqualTo(resizesFailed + 1);
    Timer rebooting =
        registry.find("coffer.tasks").tags("task", "rebooting", "outcome", "failed").timer();
    assertThat(rebooting.max(java.util.concurrent.TimeUnit.SECONDS)).isGreaterThanOrEqualTo(5);
  }
}
