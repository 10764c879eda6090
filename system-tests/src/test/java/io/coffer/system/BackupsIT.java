package io.coffer.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.coffer.testing.Db;
import io.coffer.testing.Tokens;
import io.restassured.path.json.JsonPath;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Backups and restores with real data: rows written, a full and an incremental backup taken by the
 * guest into the filesystem storage, each restored into a new instance and compared row for row; a
 * guest killed in the middle of a backup; deletion cleaning the storage.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BackupsIT {

  private static final Duration READY = Duration.ofSeconds(90);
  private static final Duration BACKUP = Duration.ofSeconds(90);
  private static final Tenant TENANT = new Tenant();
  private static final String PASSWORD = "shop-Secret1";
  private static String source;
  private static String sourceIp;
  private static String fullBackup;
  private static String fullContents;
  private static String incrementalBackup;
  private static String incrementalContents;
  private static String largeBackup;

  @BeforeAll
  static void suite() {
    Suite.start();
  }

  private static String create(String name, String restoreFrom) {
    // the source holds the ballast of the killed-guest test and its write-ahead log on its own
    // file system: 2 GB; restores hold much less
    return TENANT.createShop(name, restoreFrom == null ? 2 : 1, PASSWORD, restoreFrom);
  }

  private static String ip(String id) {
    return TENANT.await(id, "ACTIVE", READY).getString("instance.ip[0]");
  }

  private static Connection connect(String ip) throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://" + ip + ":5432/shop?connectTimeout=5", "shop", PASSWORD);
  }

  /** Every row of the orders table, in order, as one string. */
  private static String contents(String ip) throws SQLException {
    try (Connection c = connect(ip);
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT count(*) || ':' || coalesce(md5(string_agg(id || '|' || item || '|'"
                    + " || amount, ',' ORDER BY id)), '') FROM orders")) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static void write(String ip, int from, int to) throws SQLException {
    try (Connection c = connect(ip);
        Statement st = c.createStatement()) {
      st.execute(
          "CREATE TABLE IF NOT EXISTS orders (id int PRIMARY KEY, item text, amount numeric)");
      st.execute(
          "INSERT INTO orders SELECT g, 'item-' || g, g * 1.5 FROM generate_series("
              + from
              + ", "
              + to
              + ") g");
    }
  }

  private static String backup(String name, String extra) {
    return TENANT
        .as()
        .body(
            "{\"backup\": {\"name\": \""
                + name
                + "\", \"instance\": \""
                + source
                + "\""
                + extra
                + "}}")
        .post(TENANT.path("backups"))
        .then()
        .statusCode(202)
        .extract()
        .path("backup.id");
  }

  private static JsonPath awaitBackup(String id, String status) {
    return TENANT.awaitBackup(id, status, BACKUP);
  }

  private static String sha256(Path file) throws Exception {
    MessageDigest d = MessageDigest.getInstance("SHA-256");
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) > 0) {
        d.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(d.digest());
  }

  /** The tenant's directory of the filesystem backup storage: each project has its own. */
  private static Path area() {
    return Suite.BACKUPS.resolve(TENANT.project);
  }

  private static List<String> storedFiles(String backupId) throws Exception {
    if (!Files.isDirectory(area())) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(area())) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith(backupId))
          .sorted()
          .toList();
    }
  }

  @Test
  @Order(1)
  void aFullBackupOfRealDataCompletesWithSizeChecksumAndLocation() throws Exception {
    source = create("shop", null);
    sourceIp = ip(source);
    write(sourceIp, 1, 5000);
    fullContents = contents(sourceIp);

    fullBackup = backup("nightly", ", \"description\": \"before the sale\"");
    JsonPath done = awaitBackup(fullBackup, "COMPLETED");

    assertThat(done.getDouble("backup.size")).isPositive();
    assertThat(done.getString("backup.instance_id")).isEqualTo(source);
    assertThat(done.getString("backup.datastore.type")).isEqualTo("postgresql");
    String location = done.getString("backup.locationRef");
    Path file = Path.of(URI.create(location));
    assertThat(file.getParent()).isEqualTo(area());
    Map<String, Object> row = Db.row("SELECT * FROM backups WHERE id = ?", fullBackup).get();
    assertThat(row.get("checksum")).isEqualTo(sha256(file));
    assertThat(row.get("backup_type")).isEqualTo("full");
    assertThat((Double) row.get("size")).isEqualTo(Files.size(file) / (1024.0 * 1024 * 1024));
    // the instance is usable again once the backup ended
    TENANT.await(source, "ACTIVE", READY);
  }

  @Test
  @Order(2)
  void anIncrementalBackupHoldsTheChangesSinceItsParent() throws Exception {
    write(sourceIp, 5001, 7500);
    try (Connection c = connect(sourceIp);
        Statement st = c.createStatement()) {
      st.execute("UPDATE orders SET amount = amount + 1 WHERE id % 10 = 0");
      st.execute("DELETE FROM orders WHERE id BETWEEN 100 AND 199");
    }
    incrementalContents = contents(sourceIp);

    incrementalBackup = backup("hourly", ", \"parent_id\": \"" + fullBackup + "\"");
    JsonPath done = awaitBackup(incrementalBackup, "COMPLETED");

    assertThat(done.getString("backup.parent_id")).isEqualTo(fullBackup);
    assertThat(Db.value("SELECT backup_type FROM backups WHERE id = ?", incrementalBackup))
        .isEqualTo("incremental");
    // only the write-ahead log since the parent: smaller than the full backup
    assertThat(done.getDouble("backup.size"))
        .isPositive()
        .isLessThan(
            TENANT
                .as()
                .get(TENANT.path("backups/" + fullBackup))
                .then()
                .extract()
                .jsonPath()
                .getDouble("backup.size"));
  }

  @Test
  @Order(3)
  void eachBackupRestoresIntoANewInstanceWithExactlyItsData() throws Exception {
    String fromFull = create("shop-restored-full", fullBackup);
    String fromIncremental = create("shop-restored-incremental", incrementalBackup);

    String fullIp = ip(fromFull);
    String incrementalIp = ip(fromIncremental);

    assertThat(contents(fullIp)).isEqualTo(fullContents).startsWith("5000:");
    assertThat(contents(incrementalIp)).isEqualTo(incrementalContents).startsWith("7400:");
    assertThat(incrementalContents).isNotEqualTo(fullContents);
    // a restored instance is a database of its own: writes there do not reach the source
    write(fullIp, 90001, 90010);
    assertThat(contents(sourceIp)).isEqualTo(incrementalContents);
    for (String id : List.of(fromFull, fromIncremental)) {
      TENANT.as().delete(TENANT.path("instances/" + id)).then().statusCode(202);
    }
  }

  @Test
  @Order(4)
  void aProjectsBackupStrategyPutsItsBackupsInItsContainer() throws Exception {
    TENANT
        .as()
        .body("{\"backup_strategy\": {\"swift_container\": \"shop_nightly\"}}")
        .post(TENANT.path("backup_strategies"))
        .then()
        .statusCode(202);
    String id;
    try {
      id = backup("in-container", "");
    } finally {
      TENANT.as().delete(TENANT.path("backup_strategies")).then().statusCode(202);
    }
    String location = awaitBackup(id, "COMPLETED").getString("backup.locationRef");
    Path file = Path.of(URI.create(location));
    assertThat(file).isEqualTo(area().resolve("shop_nightly").resolve(id + ".tar"));
    assertThat(storedFiles(id)).isEmpty();

    String restored = create("shop-from-container", id);
    assertThat(contents(ip(restored))).isEqualTo(contents(sourceIp));
    TENANT.as().delete(TENANT.path("instances/" + restored)).then().statusCode(202);

    TENANT.as().delete(TENANT.path("backups/" + id)).then().statusCode(202);
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(file.getParent().resolve(id + ".meta")).doesNotExist());
    assertThat(file).doesNotExist();
  }

  @Test
  @Order(5)
  void aBackupOfALargerFlavorRestoresIntoASmallerOne() throws Exception {
    TENANT
        .as()
        .body("{\"resize\": {\"flavorRef\": \"3\"}}")
        .post(TENANT.path("instances/" + source + "/action"))
        .then()
        .statusCode(202);
    await()
        .atMost(READY)
        .until(() -> "3".equals(TENANT.show(source).getString("instance.flavor.id")));
    TENANT.await(source, "ACTIVE", READY);
    assertThat(setting(sourceIp, "max_connections")).isEqualTo("200");
    String contents = contents(sourceIp);
    largeBackup = backup("large", "");
    awaitBackup(largeBackup, "COMPLETED");

    String small = create("shop-small", largeBackup);
    String smallIp = ip(small);

    assertThat(TENANT.show(small).getString("instance.flavor.id")).isEqualTo("1");
    assertThat(contents(smallIp)).isEqualTo(contents);
    // once restored, the instance runs with its own flavor's settings
    assertThat(setting(smallIp, "max_connections")).isEqualTo("100");
    assertThat(setting(smallIp, "shared_buffers")).isEqualTo("128MB");
    TENANT.as().delete(TENANT.path("instances/" + small)).then().statusCode(202);
  }

  @Test
  @Order(6)
  void aRestoreThatFailsTellsTheTenantWhatFailedAndTheAdministratorWhy() throws Exception {
    // a backup whose data directory says it was made by another major version of PostgreSQL
    String alien = alienBackup(largeBackup, "14");
    String failed = create("shop-alien", alien);
    TENANT.await(failed, "ERROR", READY);

    JsonPath tenantView = TENANT.show(failed);
    assertThat(tenantView.getString("instance.fault.message"))
        .isEqualTo("The guest agent could not set up the database (restoring the backup failed).");
    assertThat(tenantView.getString("instance.fault.details")).isNull();
    JsonPath adminView =
        Suite.as(Tokens.admin())
            .get(TENANT.path("instances/" + failed))
            .then()
            .extract()
            .jsonPath();
    assertThat(adminView.getString("instance.fault.details"))
        .startsWith("restoring the backup: the database server did not start: FATAL:")
        .contains("database files are incompatible with server");
    TENANT.as().delete(TENANT.path("instances/" + failed)).then().statusCode(202);
  }

  private static String setting(String ip, String name) throws SQLException {
    try (Connection c = connect(ip);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SHOW " + name)) {
      rs.next();
      return rs.getString(1);
    }
  }

  /**
   * A copy of a stored backup, registered for the tenant as a completed backup of its own, whose
   * {@code PG_VERSION} names {@code version}.
   */
  private static String alienBackup(String backupId, String version) throws Exception {
    Path original = area().resolve(backupId + ".tar");
    Path work = Files.createTempDirectory("alien-backup");
    try {
      run("tar", "-x", "-f", original.toString(), "-C", work.toString());
      Files.writeString(work.resolve("PG_VERSION"), version + "\n");
      String id = java.util.UUID.randomUUID().toString();
      Path data = area().resolve(id + ".tar");
      run("tar", "-c", "-f", data.toString(), "-C", work.toString(), ".");
      String checksum = sha256(data);
      List<String> meta = new java.util.ArrayList<>();
      for (String line : Files.readAllLines(area().resolve(backupId + ".meta"))) {
        if (line.startsWith("checksum=")) {
          line = "checksum=" + checksum;
        } else if (line.startsWith("bytes=")) {
          line = "bytes=" + Files.size(data);
        }
        meta.add(line);
      }
      Path metaFile = area().resolve(id + ".meta");
      Files.write(metaFile, meta);
      // as the storage writes them: the project's, readable by its instances
      var attrs = Files.readAttributes(original, java.nio.file.attribute.PosixFileAttributes.class);
      for (Path p : List.of(data, metaFile)) {
        Files.setOwner(p, attrs.owner());
        Files.getFileAttributeView(p, java.nio.file.attribute.PosixFileAttributeView.class)
            .setGroup(attrs.group());
        Files.setPosixFilePermissions(p, attrs.permissions());
      }
      Db.update(
          "INSERT INTO backups (id, name, tenant_id, state, instance_id, backup_type, created,"
              + " updated, datastore_version_id, size, location, checksum)"
              + " SELECT ?, 'alien', tenant_id, 'COMPLETED', instance_id, 'full', now(), now(),"
              + " datastore_version_id, size, ?, ? FROM backups WHERE id = ?",
          id,
          data.toUri().toString(),
          checksum,
          backupId);
      return id;
    } finally {
      Suite.deleteTree(work);
    }
  }

  private static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(out).isZero();
  }

  @Test
  @Order(7)
  void aBackupWhoseGuestIsKilledMidwayFailsWithAReasonAndLeavesNoObject() throws Exception {
    // enough data that the guest dies while the stream is being written
    try (Connection c = connect(sourceIp);
        Statement st = c.createStatement()) {
      st.execute(
          "CREATE TABLE ballast AS SELECT g, repeat(md5(g::text), 30) AS pad"
              + " FROM generate_series(1, 300000) g");
    }
    String doomed = backup("doomed", "");
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(5))
        .until(() -> storedFiles(doomed).contains(doomed + ".tar.part"));
    Suite.killGuest(source);

    JsonPath failed = awaitBackup(doomed, "FAILED");
    assertThat(failed.getString("backup.fail_reason")).contains("guest stopped reporting");
    assertThat(failed.getString("backup.locationRef")).isNull();
    assertThat(storedFiles(doomed)).isEmpty();
    // the instance is no longer busy with a backup
    assertThat(TENANT.show(source).getString("instance.status")).isEqualTo("ACTIVE");
  }

  @Test
  @Order(8)
  void deletingABackupDeletesItsIncrementalsAndTheirStoredData() throws Exception {
    assertThat(storedFiles(fullBackup)).contains(fullBackup + ".tar", fullBackup + ".meta");
    assertThat(storedFiles(incrementalBackup)).isNotEmpty();

    TENANT.as().delete(TENANT.path("backups/" + fullBackup)).then().statusCode(202);

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              TENANT.as().get(TENANT.path("backups/" + fullBackup)).then().statusCode(404);
              TENANT.as().get(TENANT.path("backups/" + incrementalBackup)).then().statusCode(404);
            });
    assertThat(storedFiles(fullBackup)).isEmpty();
    assertThat(storedFiles(incrementalBackup)).isEmpty();
    TENANT.as().delete(TENANT.path("instances/" + source)).then().statusCode(202);
    TENANT.awaitDeleted(source, Duration.ofSeconds(60));
  }
}
