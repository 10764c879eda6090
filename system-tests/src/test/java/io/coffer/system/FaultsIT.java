package io.coffer.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.coffer.model.routing.Topics;
import io.coffer.testing.Broker;
import io.coffer.testing.Db;
import io.coffer.testing.TestEnv;
import io.restassured.response.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Faults injected into the running control plane with real processes, broker and database; each
 * scenario asserts its outcome and records its recovery time (printed, and kept in {@code
 * target/faults.txt}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultsIT {

  private static final Tenant TENANT = new Tenant();
  private static final Duration READY = Duration.ofSeconds(90);
  private static final Map<String, String> FIGURES = new LinkedHashMap<>();

  @AfterAll
  static void report() throws Exception {
    StringBuilder out = new StringBuilder();
    FIGURES.forEach((k, v) -> out.append(k).append(": ").append(v).append('\n'));
    System.out.print(out);
    Files.writeString(Path.of("target", "faults.txt"), out.toString());
  }

  private static void figure(String scenario, String value) {
    FIGURES.put(scenario, value);
  }

  private static String create(String name) {
    return TENANT.createInstance(name, null, null);
  }

  private static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  /** Nothing of an instance is left: directory, processes, address, queue, broker user. */
  static void assertNothingLeft(String id) throws Exception {
    assertThat(Suite.INSTANCES.resolve(id)).as("directory of " + id).doesNotExist();
    assertThat(Db.value("SELECT count(*) FROM compute_addresses WHERE instance_id = ?", id))
        .as("address of " + id)
        .isEqualTo(0L);
    String vhost = URLEncoder.encode(TestEnv.rabbitVhost(), StandardCharsets.UTF_8);
    assertThat(Broker.managementStatus("/api/queues/" + vhost + "/" + Topics.guest(id)))
        .as("queue of " + id)
        .isEqualTo(404);
    assertThat(Broker.managementStatus("/api/users/coffer-guest-" + id))
        .as("broker user of " + id)
        .isEqualTo(404);
    assertThat(processesIn(id)).as("processes of " + id).isEmpty();
  }

  /**
   * Processes working in an instance's directory (guest agent, database server), also when the
   * directory was removed under them.
   */
  static List<ProcessHandle> processesIn(String id) {
    Path dir = Suite.INSTANCES.resolve(id);
    return ProcessHandle.allProcesses()
        .filter(
            p -> {
              try {
                String cwd =
                    Files.readSymbolicLink(Path.of("/proc", Long.toString(p.pid()), "cwd"))
                        .toString()
                        .replaceFirst(" \\(deleted\\)$", "");
                return Path.of(cwd).startsWith(dir);
              } catch (Exception e) {
                return false;
              }
            })
        .toList();
  }

  private static void deleteAndCheck(String id) throws Exception {
    TENANT.as().delete(TENANT.path("instances/" + id)).then().statusCode(202);
    TENANT.awaitDeleted(id, Duration.ofSeconds(60));
    assertNothingLeft(id);
  }

  /** Scenario 3: a stopped guest turns ERROR after the expiry and HEALTHY once it continues. */
  @Test
  @Order(1)
  void aStoppedGuestIsSilentAndHealthyAgainWhenItContinues() throws Exception {
    Suite.start();
    String id = create("stopped");
    TENANT.await(id, "ACTIVE", READY);
    Suite.signalGuest(id, "STOP");
    long stopped = System.nanoTime();
    try {
      await()
          .atMost(Suite.HEARTBEAT_EXPIRY.plusSeconds(15))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> "ERROR".equals(TENANT.show(id).getString("instance.operating_status")));
      long silentAfter = millisSince(stopped);
      assertThat(silentAfter).isGreaterThanOrEqualTo(Suite.HEARTBEAT_EXPIRY.toMillis() - 2500);
    } finally {
      Suite.signalGuest(id, "CONT");
    }
    long continued = System.nanoTime();
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> "HEALTHY".equals(TENANT.show(id).getString("instance.operating_status")));
    long healthyAfter = millisSince(continued);
    figure(
        "3 SIGSTOP guest: HEALTHY again after SIGCONT (heartbeat interval 2 s)",
        healthyAfter + " ms");
    assertThat(healthyAfter).isLessThanOrEqualTo(2000 + 1000);
    deleteAndCheck(id);
  }

  /** Scenario 1: the taskmanager killed in the middle of a create, then started again. */
  @Test
  @Order(2)
  void aTaskmanagerKilledMidCreateFinishesTheInstanceWhenItComesBack() throws Exception {
    Suite.start();
    String id = create("crash-mid-create");
    // the taskmanager is making the server: its directory appears
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> Files.exists(Suite.INSTANCES.resolve(id)));
    Suite.crash("taskmanager-service");
    long restartAt = System.nanoTime();
    Suite.restart("taskmanager-service");
    TENANT.await(id, "ACTIVE", Duration.ofSeconds(60));
    figure(
        "1 kill -9 taskmanager mid-create: ACTIVE after the restart",
        millisSince(restartAt) + " ms");
    // one server: one guest agent
    assertThat(
            processesIn(id).stream()
                .filter(
                    p ->
                        p.info()
                            .commandLine()
                            .map(c -> c.contains("quarkus-run.jar"))
                            .orElse(false))
                .count())
        .as("guest agents of " + id)
        .isEqualTo(1);
    deleteAndCheck(id);
  }

  /** Scenario 7: deletes 0–2 s after creates leave nothing and give the quota back. */
  @Test
  @Order(4)
  void deletesRightAfterCreatesLeaveNothingBehindAndGiveTheQuotaBack() throws Exception {
    Suite.start();
    String usage =
        "SELECT coalesce(sum(in_use), 0) FROM quota_usages WHERE tenant_id = ? AND resource = ?";
    long instancesBefore = ((Number) Db.value(usage, TENANT.project, "instances")).longValue();
    long volumesBefore = ((Number) Db.value(usage, TENANT.project, "volumes")).longValue();
    List<String> ids = new ArrayList<>();
    long start = System.nanoTime();
    for (int n = 0; n < 20; n++) {
      String id = create("quick-" + n);
      ids.add(id);
      Thread.sleep(ThreadLocalRandom.current().nextInt(0, 2001) / (n % 2 == 0 ? 1 : 4));
      Response r = TENANT.as().delete(TENANT.path("instances/" + id));
      assertThat(r.statusCode()).as("DELETE of %s", id).isEqualTo(202);
    }
    for (String id : ids) {
      TENANT.awaitDeleted(id, Duration.ofSeconds(120));
    }
    figure("7 20 deletes 0-2 s after their creates: all gone after", millisSince(start) + " ms");
    for (String id : ids) {
      assertNothingLeft(id);
    }
    assertThat(((Number) Db.value(usage, TENANT.project, "instances")).longValue())
        .isEqualTo(instancesBefore);
    assertThat(((Number) Db.value(usage, TENANT.project, "volumes")).longValue())
        .isEqualTo(volumesBefore);
  }

  /** Scenario 6 and 4: the broker down during a create; everything consumes again after. */
  @Test
  @Order(3)
  void aCreateWhileTheBrokerIsDownIsKeptAndDoneWhenTheBrokerReturns() throws Exception {
    Suite.start();
    String healthy = create("before-outage");
    TENANT.await(healthy, "ACTIVE", READY);
    // reports the broker confirmed just before it stops: none may be lost
    String project = io.coffer.testing.Projects.fresh();
    List<String> reporters = ConductorFleet.instances(project, 100);
    double base = System.currentTimeMillis() / 1000.0 - 3600;
    try (ConductorFleet.Guests bus = new ConductorFleet.Guests(Topics.CONDUCTOR)) {
      for (int r = 0; r < 30; r++) {
        for (String reporter : reporters) {
          bus.publish(ConductorFleet.heartbeat(reporter, ConductorFleet.STATUSES[r % 3], base + r));
        }
      }
      bus.confirm();
    }
    Broker.stopApp();
    String id;
    try {
      Response r =
          TENANT
              .as()
              .body(
                  "{\"instance\": {\"name\": \"during-outage\", \"flavorRef\": \"1\","
                      + " \"volume\": {\"size\": 1}}}")
              .post(TENANT.path("instances"));
      // never a 2xx whose task is lost: accepted into the outbox, or 503 with nothing stored
      if (r.statusCode() == 503) {
        assertThat(
                Db.value(
                    "SELECT count(*) FROM instances WHERE tenant_id = ? AND name = ?",
                    TENANT.project,
                    "during-outage"))
            .isEqualTo(0L);
        id = null;
      } else {
        assertThat(r.statusCode()).isEqualTo(200);
        id = r.path("instance.id");
        assertThat(Db.value("SELECT count(*) FROM task_outbox WHERE body LIKE ?", "%" + id + "%"))
            .as("the task waits in the outbox")
            .isEqualTo(1L);
      }
    } finally {
      Broker.startApp();
    }
    long back = System.nanoTime();
    // every daemon and guest consumes again
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () ->
                Broker.consumers(Topics.TASKMANAGER) > 0
                    && Broker.consumers(Topics.CONDUCTOR) > 0
                    && Broker.consumers(Topics.guest(healthy)) > 0);
    figure(
        "4 broker restart: taskmanager, conductor and guest consuming again after",
        millisSince(back) + " ms");
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .untilAsserted(
              () ->
                  assertThat(ConductorFleet.stored(project).values())
                      .hasSize(100)
                      .allMatch(st -> st.sent() != null && st.sent() == base + 29));
      figure(
          "4 broker restart: 3,000 confirmed reports all persisted after the broker was back",
          millisSince(back) + " ms");
    } finally {
      ConductorFleet.remove(project);
    }
    // the guest's reports reach the database again
    java.sql.Timestamp resumedAfter = new java.sql.Timestamp(System.currentTimeMillis());
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () ->
                ((java.sql.Timestamp)
                        Db.value(
                            "SELECT updated_at FROM service_statuses WHERE instance_id = ?",
                            healthy))
                    .after(resumedAfter));
    if (id != null) {
      try {
        TENANT.await(id, "ACTIVE", READY);
      } catch (AssertionError | RuntimeException e) {
        // what the guest saw, for the report
        Path log = Suite.INSTANCES.resolve(id).resolve("logs/guest.log");
        if (Files.exists(log)) {
          System.out.println("guest log of " + id + ":\n" + Files.readString(log));
        }
        throw e;
      }
      figure(
          "6 create during a broker outage: ACTIVE after the broker returned",
          millisSince(back) + " ms");
      deleteAndCheck(id);
    } else {
      figure("6 create during a broker outage", "503, nothing stored");
    }
    deleteAndCheck(healthy);
  }

  /** Scenario 5: the infrastructure database restarts while guests report. */
  @Test
  @Order(5)
  void reportsSentWhileTheDatabaseRestartsAreAllPersisted() throws Exception {
    Suite.start();
    String project = io.coffer.testing.Projects.fresh();
    int guests = 100;
    int rounds = 30;
    List<String> ids = ConductorFleet.instances(project, guests);
    double base = System.currentTimeMillis() / 1000.0 - 3600;
    long restarted;
    try (ConductorFleet.Guests bus = new ConductorFleet.Guests(Topics.CONDUCTOR)) {
      Thread restart = null;
      long[] back = new long[1];
      for (int r = 0; r < rounds; r++) {
        for (String id : ids) {
          bus.publish(ConductorFleet.heartbeat(id, ConductorFleet.STATUSES[r % 3], base + r));
        }
        bus.confirm();
        if (r == 5) {
          restart =
              new Thread(
                  () -> {
                    io.coffer.testing.Postgres.restart();
                    back[0] = System.nanoTime();
                  });
          restart.start();
        }
        Thread.sleep(100);
      }
      restart.join();
      restarted = back[0];
    }
    // every confirmed report is in the database: each instance holds its newest one
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .ignoreExceptions()
          .untilAsserted(
              () ->
                  assertThat(ConductorFleet.stored(project).values())
                      .hasSize(guests)
                      .allMatch(st -> st.sent() != null && st.sent() == base + rounds - 1));
      figure(
          "5 PostgreSQL restart under 3,000 reports: all persisted after the restart",
          millisSince(restarted) + " ms");
      ConductorFleet.stored(project)
          .values()
          .forEach(
              st ->
                  assertThat(st.status())
                      .isEqualTo(ConductorFleet.STATUSES[(rounds - 1) % 3].description()));
      // the daemons' pools recovered: the API answers, a new instance is built
      TENANT.as().get(TENANT.path("instances")).then().statusCode(200);
      String id = create("after-db-restart");
      TENANT.await(id, "ACTIVE", READY);
      deleteAndCheck(id);
    } finally {
      ConductorFleet.remove(project);
    }
  }
}
