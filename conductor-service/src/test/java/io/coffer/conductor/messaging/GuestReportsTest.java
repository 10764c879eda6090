package io.coffer.conductor.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.matchesPattern;

import io.coffer.bus.BatchHandler;
import io.coffer.model.conductor.ConductorMethods;
import io.coffer.model.conductor.HeartbeatArgs;
import io.coffer.model.conductor.HeartbeatPayload;
import io.coffer.model.conductor.NotifyEndArgs;
import io.coffer.model.conductor.NotifyExcInfoArgs;
import io.coffer.model.conductor.ReportRootArgs;
import io.coffer.model.conductor.UpdateBackupArgs;
import io.coffer.model.conductor.WalArchivedArgs;
import io.coffer.model.routing.Topics;
import io.coffer.model.rpc.Envelope;
import io.coffer.model.rpc.MessageCodec;
import io.coffer.model.rpc.RequestContext;
import io.coffer.testing.Db;
import io.coffer.testing.Fixtures;
import io.coffer.testing.Projects;
import io.coffer.testing.RabbitProbe;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The conductor's reports other than plain heartbeats, and how a batch settles each message. */
@QuarkusTest
class GuestReportsTest {

  private static final Duration WAIT = Duration.ofSeconds(15);

  @Inject ReportBatchHandler handler;

  private final MessageCodec codec = new MessageCodec();

  private static double now() {
    return System.currentTimeMillis() / 1000.0;
  }

  private static String backup(String project, String instanceId) {
    String id = UUID.randomUUID().toString();
    Timestamp now = Timestamp.from(Instant.now());
    Db.update(
        "INSERT INTO backups (id, name, tenant_id, state, instance_id, created, updated)"
            + " VALUES (?, 'nightly', ?, 'NEW', ?, ?, ?)",
        id,
        project,
        instanceId,
        now,
        now);
    return id;
  }

  private static Map<String, Object> backupRow(String id) {
    return Db.row("SELECT * FROM backups WHERE id = ?", id).orElseThrow();
  }

  private Envelope update(String instanceId, String backupId, double sent, String state) {
    return update(instanceId, backupId, sent, state, null, null, null);
  }

  private Envelope update(
      String instanceId,
      String backupId,
      Double sent,
      String state,
      Double size,
      String checksum,
      String location) {
    return codec.cast(
        ConductorMethods.UPDATE_BACKUP,
        RequestContext.empty(),
        new UpdateBackupArgs(
            instanceId, backupId, sent, size, state, "full", checksum, location, null));
  }

  @Test
  void backupProgressFromNewThroughBuildingToCompletedArrivesOverTheBus() {
    String project = Projects.fresh();
    String instance = Fixtures.instance(project).insert();
    String backup = backup(project, instance);
    double t = now();
    try (RabbitProbe bus = RabbitProbe.open()) {
      bus.publish(
          Topics.CONDUCTOR,
          codec.encode(update(instance, backup, t, "BUILDING", null, null, null)));
      await()
          .atMost(WAIT)
          .untilAsserted(() -> assertThat(backupRow(backup).get("state")).isEqualTo("BUILDING"));
      bus.publish(
          Topics.CONDUCTOR,
          codec.encode(
              update(
                  instance,
                  backup,
                  t + 1,
                  "COMPLETED",
                  0.12,
                  "5d41402abc4b2a76b9719d911017c592",
                  "file:///var/lib/coffer/backups/" + backup + ".tar.zst")));
    }
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              Map<String, Object> row = backupRow(backup);
              assertThat(row.get("state")).isEqualTo("COMPLETED");
              assertThat(row.get("size")).isEqualTo(0.12);
              assertThat(row.get("checksum")).isEqualTo("5d41402abc4b2a76b9719d911017c592");
              assertThat(row.get("location"))
                  .isEqualTo("file:///var/lib/coffer/backups/" + backup + ".tar.zst");
              assertThat(row.get("backup_type")).isEqualTo("full");
              // columns a report does not carry keep their values
              assertThat(row.get("name")).isEqualTo("nightly");
            });
  }

  private Envelope archived(String instanceId, String segment, Instant latest, Instant marker) {
    return codec.cast(
        ConductorMethods.WAL_ARCHIVED,
        RequestContext.empty(),
        new WalArchivedArgs(
            instanceId,
            now(),
            segment,
            latest == null ? "soon" : latest.toString(),
            marker.toString()));
  }

  @Test
  void theWalArchiveReachMovesOnlyForwardAndBadReportsAreRejected() throws Exception {
    String project = Projects.fresh();
    String instance = Fixtures.instance(project).insert();
    Instant t = Instant.parse("2026-12-07T10:00:00.000001Z");
    String seg = "000000010000000000000005";
    List<BatchHandler.Result> results =
        handler.handle(
            List.of(
                archived(instance, seg, t.plusSeconds(5), t),
                // an older report arriving late changes nothing
                archived(instance, "000000010000000000000004", t.plusSeconds(2), t),
                archived(instance, seg, null, t),
                archived(instance, "not-a-segment", t, t),
                archived(instance, seg, t, t.plusSeconds(1)),
                archived(UUID.randomUUID().toString(), seg, t, t)));
    assertThat(results.subList(0, 2)).containsOnly(BatchHandler.Result.DONE);
    assertThat(results.subList(2, 6)).noneMatch(r -> r == BatchHandler.Result.DONE);
    Map<String, Object> row =
        Db.row("SELECT * FROM wal_archives WHERE instance_id = ?", instance).orElseThrow();
    assertThat(row.get("tenant_id")).isEqualTo(project);
    assertThat(row.get("container")).isEqualTo("wal-" + instance);
    assertThat(row.get("latest_segment")).isEqualTo(seg);
    assertThat(((java.sql.Timestamp) row.get("latest_time")).toInstant())
        .isEqualTo(t.plusSeconds(5));
    assertThat(((java.sql.Timestamp) row.get("marker_time")).toInstant()).isEqualTo(t);
  }

  @Test
  void aLateBackupReportDoesNotUndoANewerOne() throws Exception {
    String project = Projects.fresh();
    String instance = Fixtures.instance(project).insert();
    String backup = backup(project, instance);
    double t = now() - 10;

    List<BatchHandler.Result> results =
        handler.handle(
            List.of(
                update(instance, backup, t + 2, "COMPLETED", 1.5, "abc", "file:///b"),
                update(instance, backup, t + 1, "BUILDING"),
                update(instance, backup, t + 2, "FAILED")));

    assertThat(results).containsOnly(BatchHandler.Result.DONE);
    assertThat(backupRow(backup).get("state")).isEqualTo("COMPLETED");
    assertThat(backupRow(backup).get("size")).isEqualTo(1.5);
  }

  @Test
  void aFailedBackupKeepsItsReasonAndAnEndedBackupIsNotRevived() throws Exception {
    String project = Projects.fresh();
    String instance = Fixtures.instance(project).insert();
    String failed = backup(project, instance);
    String expired = backup(project, instance);
    Db.update(
        "UPDATE backups SET state = 'FAILED', fail_reason = 'the guest stopped reporting'"
            + " WHERE id = ?",
        expired);
    double t = now();

    handler.handle(
        List.of(
            codec.cast(
                ConductorMethods.UPDATE_BACKUP,
                RequestContext.empty(),
                new UpdateBackupArgs(
                    instance,
                    failed,
                    t,
                    null,
                    "FAILED",
                    "full",
                    null,
                    null,
                    false,
                    "pg_basebackup failed (exit 1): could not connect")),
            update(instance, expired, t + 1, "COMPLETED", 1.0, "abc", "file:///x")));

    assertThat(backupRow(failed).get("state")).isEqualTo("FAILED");
    assertThat(backupRow(failed).get("fail_reason"))
        .isEqualTo("pg_basebackup failed (exit 1): could not connect");
    assertThat(backupRow(expired).get("state")).isEqualTo("FAILED");
    assertThat(backupRow(expired).get("fail_reason")).isEqualTo("the guest stopped reporting");
    assertThat(backupRow(expired).get("location")).isNull();
  }

  @Test
  void aBackupReportFromAnotherInstanceIsDroppedAndUnknownOrInvalidOnesAreRejected()
      throws Exception {
    String project = Projects.fresh();
    String owner = Fixtures.instance(project).insert();
    String other = Fixtures.instance(project).insert();
    String backup = backup(project, owner);
    double t = now();

    List<BatchHandler.Result> results =
        handler.handle(
            List.of(
                update(other, backup, t, "COMPLETED"),
                update(owner, UUID.randomUUID().toString(), t, "COMPLETED"),
                update(owner, backup, t, "DONE-ISH"),
                update(owner, backup, null, "COMPLETED", null, null, null),
                update(owner, backup, t, "building")));

    assertThat(results.get(0)).isEqualTo(BatchHandler.Result.DONE);
    assertThat(results.get(1).outcome()).isEqualTo(BatchHandler.Outcome.REJECT);
    assertThat(results.get(1).reason()).contains("unknown backup");
    assertThat(results.get(2).reason()).contains("unknown backup state 'DONE-ISH'");
    assertThat(results.get(3).reason()).contains("no valid sent time");
    assertThat(results.get(4)).isEqualTo(BatchHandler.Result.DONE);
    // only the owner's valid report changed the backup, with the state's canonical name
    assertThat(backupRow(backup).get("state")).isEqualTo("BUILDING");
  }

  @Test
  void oneBatchMixesEveryMethodAndSettlesEachMessage() throws Exception {
    String project = Projects.fresh();
    String instance = Fixtures.instance(project).building().insert();
    double t = now();
    Envelope beat =
        codec.cast(
            ConductorMethods.HEARTBEAT,
            RequestContext.empty(),
            new HeartbeatArgs(instance, new HeartbeatPayload("healthy"), t));
    Envelope root =
        codec.cast(
            ConductorMethods.REPORT_ROOT,
            RequestContext.forUser("alice-id", project, List.of("member"), false, "req-1"),
            new ReportRootArgs(instance, null));
    Envelope fault =
        codec.cast(
            ConductorMethods.NOTIFY_EXC_INFO,
            RequestContext.empty(),
            new NotifyExcInfoArgs(
                Map.of("instance_id", instance), "prepare failed: disk full", "Traceback …"));
    Envelope end =
        codec.cast(
            ConductorMethods.NOTIFY_END,
            RequestContext.empty(),
            new NotifyEndArgs(Map.of("instance_id", instance), Map.of()));
    Envelope ghost =
        codec.cast(
            ConductorMethods.HEARTBEAT,
            RequestContext.empty(),
            new HeartbeatArgs(UUID.randomUUID().toString(), new HeartbeatPayload("healthy"), t));

    List<BatchHandler.Result> results = handler.handle(List.of(beat, root, fault, end, ghost));

    assertThat(results.subList(0, 4)).containsOnly(BatchHandler.Result.DONE);
    assertThat(results.get(4).reason()).contains("unknown instance");
    assertThat(
            Db.value(
                "SELECT status_description FROM service_statuses WHERE instance_id = ?", instance))
        .isEqualTo("healthy");
    assertThat(Db.value("SELECT \"user\" FROM root_enabled_history WHERE id = ?", instance))
        .isEqualTo("alice-id");
    assertThat(Db.value("SELECT message FROM instance_faults WHERE instance_id = ?", instance))
        .isEqualTo("prepare failed: disk full");
  }

  @Test
  void silentGuestsAndLagAreExported() throws Exception {
    String instance =
        Fixtures.instance(Projects.fresh())
            .service(0x01, "running", Instant.now().minus(Duration.ofMinutes(10)))
            .insert();
    handler.handle(
        List.of(
            codec.cast(
                ConductorMethods.HEARTBEAT,
                RequestContext.empty(),
                new HeartbeatArgs(instance, new HeartbeatPayload("running"), now() - 0.25))));
    // a second instance stays silent
    Fixtures.instance(Projects.fresh())
        .service(0x01, "running", Instant.now().minus(Duration.ofMinutes(10)))
        .insert();

    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                given()
                    .get("/q/metrics")
                    .then()
                    .statusCode(200)
                    .body(matchesPattern("(?s).*\\ncoffer_conductor_silent_guests [1-9].*"))
                    .body(containsString("coffer_conductor_lag_seconds{quantile=\"0.99\""))
                    .body(containsString("coffer_conductor_batch_size_count"))
                    .body(
                        containsString(
                            "coffer_conductor_reports_total{method=\"update_backup\",outcome=")));
  }
}
