package io.coffer.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Point-in-time recovery on real PostgreSQL servers: rows committed at known times, the write-ahead
 * log archived into the backup storage by the guest (every 3 s in the suite), recovery to a time
 * between two rows holding exactly the earlier ones, recovery after the source instance is deleted,
 * the window in the instance view, and the refusals.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PointInTimeIT {

  private static final Duration READY = Duration.ofSeconds(120);
  private static final Tenant TENANT = new Tenant();
  private static final Tenant OTHER = new Tenant();
  private static final String PASSWORD = "shop-Secret1";
  private static String source;
  private static String backupId;
  private static final List<Instant> commits = new ArrayList<>();

  @BeforeAll
  static void suite() {
    Suite.start();
  }

  private static String ip(String id) {
    return TENANT.await(id, "ACTIVE", READY).getString("instance.ip[0]");
  }

  private static Connection connect(String ip) throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://" + ip + ":5432/shop?connectTimeout=5", "shop", PASSWORD);
  }

  /** Commits one row and returns its commit time on the server's clock. */
  private static Instant insert(String ip, int id) throws SQLException {
    try (Connection c = connect(ip);
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE IF NOT EXISTS events (id int PRIMARY KEY, at timestamptz)");
      st.execute("INSERT INTO events VALUES (" + id + ", clock_timestamp())");
      try (ResultSet rs = st.executeQuery("SELECT clock_timestamp()")) {
        rs.next();
        return rs.getObject(1, java.time.OffsetDateTime.class).toInstant();
      }
    }
  }

  private static List<Integer> rows(String ip) throws SQLException {
    try (Connection c = connect(ip);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT id FROM events ORDER BY id")) {
      List<Integer> out = new ArrayList<>();
      while (rs.next()) {
        out.add(rs.getInt(1));
      }
      return out;
    }
  }

  private static String recover(Tenant t, String name, String restorePoint) {
    return t.createInstance(
        "\"name\": \""
            + name
            + "\", \"flavorRef\": \"1\", \"volume\": {\"size\": 1}, \"restorePoint\": "
            + restorePoint);
  }

  private static JsonPath window(String id) {
    return TENANT.show(id);
  }

  private static Instant latest(String id) {
    String l = window(id).getString("instance.restorable.latest");
    return l == null ? Instant.EPOCH : Instant.parse(l);
  }

  private static Path archive(String instanceId) {
    return Suite.BACKUPS.resolve(TENANT.project).resolve("wal-" + instanceId);
  }

  private static long archived(String instanceId) throws Exception {
    if (!Files.isDirectory(archive(instanceId))) {
      return 0;
    }
    try (Stream<Path> files = Files.list(archive(instanceId))) {
      return files.filter(p -> p.getFileName().toString().endsWith(".gz")).count();
    }
  }

  @Test
  @Order(1)
  void rowsAreRecoveredAsTheyWereAtATimeBetweenTwoCommits() throws Exception {
    source = TENANT.createShop("pitr-source", 1, PASSWORD, null);
    String ip = ip(source);
    commits.add(insert(ip, 1));
    // no window before a full backup
    assertThat(window(source).getString("instance.restorable")).isNull();
    TENANT
        .as()
        .body(
            "{\"instance\": {\"name\": \"early\", \"flavorRef\": \"1\", \"volume\": {\"size\": 1},"
                + " \"restorePoint\": {\"instanceRef\": \""
                + source
                + "\"}}}")
        .post(TENANT.path("instances"))
        .then()
        .statusCode(400)
        .body("badRequest.message", containsString("has no restorable window"));

    backupId =
        TENANT
            .as()
            .body("{\"backup\": {\"name\": \"pitr-base\", \"instance\": \"" + source + "\"}}")
            .post(TENANT.path("backups"))
            .then()
            .statusCode(202)
            .extract()
            .path("backup.id");
    TENANT.awaitBackup(backupId, "COMPLETED", Duration.ofSeconds(90));

    Thread.sleep(1200);
    commits.add(insert(ip, 2));
    Thread.sleep(1200);
    commits.add(insert(ip, 3));
    Thread.sleep(1200);
    commits.add(insert(ip, 4));
    Instant last = commits.get(3);

    // the archive catches up within a few of the guest's rounds
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> latest(source).isAfter(last));
    JsonPath w = window(source);
    Instant earliest = Instant.parse(w.getString("instance.restorable.earliest"));
    assertThat(earliest).isBefore(commits.get(1)).isAfter(commits.get(0));
    assertThat(archived(source)).isPositive();
    // another project sees no such window
    assertThat(OTHER.as().get(OTHER.path("instances/" + source)).then().extract().statusCode())
        .isEqualTo(404);

    // between rows 2 and 3: rows 1 and 2 only
    Instant between = commits.get(1).plusMillis(600);
    assertThat(between).isBefore(commits.get(2));
    String at =
        recover(
            TENANT,
            "pitr-between",
            "{\"instanceRef\": \"" + source + "\", \"restoreTime\": \"" + between + "\"}");
    // with the source's backup named instead of the instance: the same
    String fromBackup =
        recover(
            TENANT,
            "pitr-backup",
            "{\"backupRef\": \"" + backupId + "\", \"restoreTime\": \"" + commits.get(2) + "\"}");
    assertThat(rows(ip(at))).containsExactly(1, 2);
    assertThat(rows(ip(fromBackup))).containsExactly(1, 2, 3);
    // a recovered instance is a writable server of its own
    insert(ip(at), 10);
    assertThat(rows(ip(at))).containsExactly(1, 2, 10);
    for (String id : List.of(at, fromBackup)) {
      TENANT.as().delete(TENANT.path("instances/" + id)).then().statusCode(202);
    }
  }

  @Test
  @Order(2)
  void timesOutsideTheWindowAreRefusedWithTheWindow() {
    JsonPath w = window(source);
    String earliest = w.getString("instance.restorable.earliest");
    String latest = w.getString("instance.restorable.latest");
    for (String time :
        List.of(
            commits.get(0).toString(),
            Instant.now().plusSeconds(3600).toString(),
            "2020-01-01T00:00:00")) {
      TENANT
          .as()
          .body(
              "{\"instance\": {\"name\": \"outside\", \"flavorRef\": \"1\", \"volume\": {\"size\":"
                  + " 1}, \"restorePoint\": {\"instanceRef\": \""
                  + source
                  + "\", \"restoreTime\": \""
                  + time
                  + "\"}}}")
          .post(TENANT.path("instances"))
          .then()
          .statusCode(400)
          .body("badRequest.code", equalTo(400))
          .body("badRequest.message", containsString("outside the restorable window"))
          .body("badRequest.message", containsString("earliest "))
          .body("badRequest.message", containsString("latest "));
    }
    assertThat(earliest).isNotNull();
    assertThat(latest).isNotNull();
    TENANT
        .as()
        .body(
            "{\"instance\": {\"name\": \"bad\", \"flavorRef\": \"1\", \"volume\": {\"size\": 1},"
                + " \"restorePoint\": {\"instanceRef\": \""
                + source
                + "\", \"restoreTime\": \"yesterday\"}}}")
        .post(TENANT.path("instances"))
        .then()
        .statusCode(400)
        .body("badRequest.message", containsString("is not an ISO-8601 time"));
    // another project's instance does not exist for it
    OTHER
        .as()
        .body(
            "{\"instance\": {\"name\": \"theft\", \"flavorRef\": \"1\", \"volume\": {\"size\": 1},"
                + " \"restorePoint\": {\"instanceRef\": \""
                + source
                + "\"}}}")
        .post(OTHER.path("instances"))
        .then()
        .statusCode(404);
    assertThat(
            ((Number)
                    io.coffer.testing.Db.value(
                        "SELECT count(*) FROM instances WHERE tenant_id = ? AND NOT deleted",
                        OTHER.project))
                .longValue())
        .isZero();
  }

  @Test
  @Order(3)
  void theArchiveOutlivesItsInstanceWhileABackupIsKept() throws Exception {
    Instant latest = latest(source);
    TENANT.as().delete(TENANT.path("instances/" + source)).then().statusCode(202);
    TENANT.awaitDeleted(source, Duration.ofSeconds(60));
    assertThat(archived(source)).isPositive();

    // to the latest time: every row
    String recovered =
        recover(TENANT, "pitr-after-delete", "{\"instanceRef\": \"" + source + "\"}");
    assertThat(rows(ip(recovered))).containsExactly(1, 2, 3, 4);
    assertThat(latest).isAfter(commits.get(3));

    // the last backup of the deleted instance goes: so does its archive
    TENANT.as().delete(TENANT.path("backups/" + backupId)).then().statusCode(202);
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> archived(source) == 0);
    assertThat(
            ((Number)
                    io.coffer.testing.Db.value(
                        "SELECT count(*) FROM wal_archives WHERE instance_id = ?", source))
                .longValue())
        .isZero();
    TENANT.as().delete(TENANT.path("instances/" + recovered)).then().statusCode(202);
  }
}
