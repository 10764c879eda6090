package io.coffer.conductor;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import io.coffer.bus.BusConsumers;
import io.coffer.conductor.status.HeartbeatRecorder;
import io.coffer.conductor.status.ReportOutcome;
import io.coffer.model.conductor.ConductorMethods;
import io.coffer.model.conductor.HeartbeatArgs;
import io.coffer.model.conductor.HeartbeatPayload;
import io.coffer.model.routing.Topics;
import io.coffer.model.rpc.MessageCodec;
import io.coffer.model.rpc.RequestContext;
import io.coffer.model.status.ServiceStatus;
import io.coffer.testing.Db;
import io.coffer.testing.Fixtures;
import io.coffer.testing.Projects;
import io.coffer.testing.RabbitProbe;
import io.coffer.testing.TestEnv;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

@QuarkusTest
class HeartbeatTest {

  private static final Duration WAIT = Duration.ofSeconds(15);

  @Inject HeartbeatRecorder recorder;

  private final MessageCodec codec = new MessageCodec();

  private static double now() {
    return System.currentTimeMillis() / 1000.0;
  }

  private byte[] heartbeat(String instanceId, String status, Double sent) {
    return codec.encode(
        codec.cast(
            ConductorMethods.HEARTBEAT,
            RequestContext.empty(),
            new HeartbeatArgs(instanceId, new HeartbeatPayload(status), sent)));
  }

  private static Map<String, Object> status(String instanceId) {
    return Db.row(
            "SELECT s.status_id, s.status_description, s.updated_at, l.sent FROM service_statuses s"
                + " LEFT JOIN conductor_lastseen l ON l.instance_id = s.instance_id"
                + " AND l.method_name = 'heartbeat' WHERE s.instance_id = ?",
            instanceId)
        .orElseThrow();
  }

  @Test
  void aHeartbeatCastOnTheBusIsPersisted() {
    String id = Fixtures.instance(Projects.fresh()).building().insert();
    double sent = now();
    try (RabbitProbe bus = RabbitProbe.open()) {
      bus.publish(Topics.CONDUCTOR, heartbeat(id, "healthy", sent));
    }

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              Map<String, Object> row = status(id);
              assertThat(row.get("status_description")).isEqualTo("healthy");
              assertThat(row.get("status_id")).isEqualTo(ServiceStatus.HEALTHY.code());
              assertThat(row.get("updated_at")).isNotNull();
              assertThat((Double) row.get("sent")).isEqualTo(sent);
            });
  }

  @Test
  void theNewestHeartbeatWinsAndEqualOrOlderOnesAreDiscarded() throws Exception {
    String id = Fixtures.instance(Projects.fresh()).building().insert();
    double t = now() - 100;

    assertThat(recorder.record(id, ServiceStatus.RUNNING, t + 2)).isEqualTo(ReportOutcome.ACCEPTED);
    assertThat(recorder.record(id, ServiceStatus.SHUTDOWN, t + 1)).isEqualTo(ReportOutcome.STALE);
    assertThat(recorder.record(id, ServiceStatus.CRASHED, t + 2)).isEqualTo(ReportOutcome.STALE);

    assertThat(status(id).get("status_description")).isEqualTo("running");
    assertThat((Double) status(id).get("sent")).isEqualTo(t + 2);
    assertThat(recorder.record(id, ServiceStatus.HEALTHY, t + 3)).isEqualTo(ReportOutcome.ACCEPTED);
    assertThat(status(id).get("status_description")).isEqualTo("healthy");
  }

  @Test
  void restartRequiredIsNotOverwrittenByHeartbeats() throws Exception {
    String id =
        Fixtures.instance(Projects.fresh())
            .service(ServiceStatus.RESTART_REQUIRED.code(), "restart required", null)
            .insert();
    assertThat(recorder.record(id, ServiceStatus.HEALTHY, now())).isEqualTo(ReportOutcome.ACCEPTED);
    assertThat(status(id).get("status_description")).isEqualTo("restart required");
  }

  @Test
  void concurrentWritersKeepOnlyTheNewestReportOfEachInstance() throws Exception {
    String project = Projects.fresh();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      ids.add(Fixtures.instance(project).building().insert());
    }
    ServiceStatus[] statuses = {
      ServiceStatus.RUNNING, ServiceStatus.HEALTHY, ServiceStatus.SHUTDOWN
    };
    double base = now() - 1000;
    List<Object[]> reports = new ArrayList<>();
    for (String id : ids) {
      for (int k = 0; k < 150; k++) {
        reports.add(new Object[] {id, statuses[k % 3], base + k * 0.001});
      }
    }
    Collections.shuffle(reports);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<ReportOutcome>> results = new ArrayList<>();
      for (Object[] r : reports) {
        results.add(
            pool.submit(() -> recorder.record((String) r[0], (ServiceStatus) r[1], (Double) r[2])));
      }
      int accepted = 0;
      for (Future<ReportOutcome> f : results) {
        accepted += f.get() == ReportOutcome.ACCEPTED ? 1 : 0;
      }
      assertThat(accepted).isGreaterThanOrEqualTo(ids.size());
    } finally {
      pool.shutdown();
    }
    for (String id : ids) {
      Map<String, Object> row = status(id);
      assertThat((Double) row.get("sent")).isEqualTo(base + 149 * 0.001);
      assertThat(row.get("status_description")).isEqualTo(statuses[149 % 3].description());
    }
  }

  @Test
  void invalidReportsAreDeadLetteredWithTheirReasonAndValidOnesKeepFlowing() {
    String id = Fixtures.instance(Projects.fresh()).building().insert();
    String unknown = java.util.UUID.randomUUID().toString();
    try (RabbitProbe deadLetters = RabbitProbe.drain(Topics.DEAD_LETTER);
        RabbitProbe bus = RabbitProbe.open()) {
      bus.publish(Topics.CONDUCTOR, "this is not json".getBytes(StandardCharsets.UTF_8));
      bus.publish(Topics.CONDUCTOR, heartbeat(unknown, "healthy", now()));
      bus.publish(Topics.CONDUCTOR, heartbeat(id, "healthy", now() + 3600));
      bus.publish(Topics.CONDUCTOR, heartbeat(id, "healthy", null));
      bus.publish(Topics.CONDUCTOR, heartbeat(id, "sleepy", now()));
      double good = now();
      bus.publish(Topics.CONDUCTOR, heartbeat(id, "running", good));

      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> assertThat(status(id).get("status_description")).isEqualTo("running"));
      List<String> reasons = new ArrayList<>();
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> {
                reasons.clear();
                for (RabbitProbe.Delivery d : deadLetters.received()) {
                  Object reason = d.properties().getHeaders().get(BusConsumers.REASON_HEADER);
                  String body = new String(d.body(), StandardCharsets.UTF_8);
                  if (body.contains(id) || body.contains(unknown) || body.startsWith("this is")) {
                    reasons.add(String.valueOf(reason));
                  }
                }
                assertThat(reasons).hasSize(5);
              });
      assertThat(reasons)
          .anyMatch(r -> r.startsWith("undecodable"))
          .anyMatch(r -> r.contains("unknown instance " + unknown))
          .anyMatch(r -> r.contains("ahead of the conductor's clock"))
          .anyMatch(r -> r.contains("no valid sent time"))
          .anyMatch(r -> r.contains("unknown service status 'sleepy'"));
      assertThat((Double) status(id).get("sent")).isEqualTo(good);
    }
  }

  @Test
  void reportsAreCountedInTheMetrics() throws Exception {
    String id = Fixtures.instance(Projects.fresh()).building().insert();
    recorder.record(id, ServiceStatus.HEALTHY, now());
    try (RabbitProbe bus = RabbitProbe.open()) {
      bus.publish(Topics.CONDUCTOR, heartbeat(id, "healthy", now()));
    }
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                given()
                    .get("/q/metrics")
                    .then()
                    .statusCode(200)
                    .body(
                        containsString(
                            "coffer_conductor_reports_total{method=\"heartbeat\",outcome=\"accepted\""))
                    .body(containsString("coffer_bus_messages_consumed_total")));
  }

  @Test
  void aHeartbeatCastByOsloMessagingIsPersisted() throws Exception {
    String id = Fixtures.instance(Projects.fresh()).building().insert();
    String script =
        java.nio.file.Path.of(getClass().getResource("/oslo_heartbeat.py").toURI()).toString();
    String url = TestEnv.osloTransportUrl();
    double sent = Math.floor(now() * 1e6) / 1e6;
    Process p =
        new ProcessBuilder(
                "/usr/bin/python3",
                script,
                url,
                TestEnv.exchange(),
                Topics.CONDUCTOR,
                id,
                "healthy",
                Double.toString(sent))
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(status(id).get("status_description")).isEqualTo("healthy");
              assertThat((Double) status(id).get("sent")).isEqualTo(sent);
            });
  }
}
