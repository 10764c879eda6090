package io.coffer.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tenants sharing the local driver's host: each instance runs as an OS user of its own, so a tenant
 * who is superuser of its database (root enabled, programs run through {@code COPY … FROM PROGRAM},
 * files read with {@code pg_read_file}) reaches nothing of its neighbours — data, sockets, guest
 * configuration and message key, backups — and delete removes the user.
 */
class IsolationIT {

  private static final Duration READY = Duration.ofSeconds(90);
  private static final String PASSWORD = "iso-Secret1";
  private static final Tenant A = new Tenant();
  private static final Tenant B = new Tenant();

  @BeforeAll
  static void suite() {
    Suite.start();
  }

  private static String osUser(String instanceId) {
    return "coffer-" + instanceId.replace("-", "").substring(0, 12);
  }

  private static String projectGroup(String project) throws Exception {
    byte[] d =
        MessageDigest.getInstance("SHA-256").digest(project.getBytes(StandardCharsets.UTF_8));
    return "cfp-" + HexFormat.of().formatHex(d).substring(0, 12);
  }

  /** What a program run by the database server (as its OS user) prints. */
  private static String program(Connection c, String command) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("CREATE TEMP TABLE IF NOT EXISTS out (line text)");
      st.execute("TRUNCATE out");
      st.execute("COPY out FROM PROGRAM '" + command.replace("'", "''") + "'");
      try (ResultSet rs = st.executeQuery("SELECT string_agg(line, E'\\n') FROM out")) {
        rs.next();
        return rs.getString(1);
      }
    }
  }

  private static String read(Connection c, Path file) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT pg_read_file(?)")) {
      ps.setString(1, file.toString());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }

  private static void list(Connection c, Path dir) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM pg_ls_dir(?)")) {
      ps.setString(1, dir.toString());
      ps.executeQuery().close();
    }
  }

  private static int exit(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor();
  }

  @Test
  void aTenantSuperuserReachesNothingOfItsNeighbours() throws Exception {
    String a = A.createShop("iso-a", 1, PASSWORD, null);
    String b = B.createShop("iso-b", 1, PASSWORD, null);
    String aIp = A.await(a, "ACTIVE", READY).getString("instance.ip[0]");
    B.await(b, "ACTIVE", READY);
    String backup =
        B.as()
            .body("{\"backup\": {\"name\": \"theirs\", \"instance\": \"" + b + "\"}}")
            .post(B.path("backups"))
            .then()
            .statusCode(202)
            .extract()
            .path("backup.id");
    Path theirBackup =
        Path.of(
            URI.create(B.awaitBackup(backup, "COMPLETED", READY).getString("backup.locationRef")));
    String root =
        A.as()
            .post(A.path("instances/" + a + "/root"))
            .then()
            .statusCode(200)
            .extract()
            .path("user.password");

    Path mine = Suite.INSTANCES.resolve(a);
    Path theirs = Suite.INSTANCES.resolve(b);
    try (Connection c =
        DriverManager.getConnection(
            "jdbc:postgresql://" + aIp + ":5432/postgres?connectTimeout=5", "root", root)) {
      // its programs run as its instance's own OS user, and its own files are its own
      assertThat(program(c, "id -un")).isEqualTo(osUser(a));
      assertThat(read(c, mine.resolve("data/PG_VERSION")).strip()).isEqualTo("15");
      assertThat(program(c, "cat " + mine.resolve("config/application.properties")))
          .contains("coffer.guest.instance-id=" + a);

      // the neighbour's data, socket directory, guest configuration (its message key and broker
      // password), pid file and backups: all refused by the operating system
      for (Path file :
          List.of(
              theirs.resolve("data/PG_VERSION"),
              theirs.resolve("data/global/pg_control"),
              theirs.resolve("config/application.properties"),
              theirs.resolve("admin.pw"),
              theirs.resolve("guest.pid"),
              theirBackup)) {
        assertThatThrownBy(() -> read(c, file))
            .as(file.toString())
            .isInstanceOf(SQLException.class)
            .hasMessageContaining("Permission denied");
      }
      for (Path dir :
          List.of(
              theirs,
              theirs.resolve("run"),
              Suite.INSTANCES,
              Suite.BACKUPS,
              theirBackup.getParent())) {
        assertThatThrownBy(() -> list(c, dir))
            .as(dir.toString())
            .isInstanceOf(SQLException.class)
            .hasMessageContaining("Permission denied");
      }
      assertThatThrownBy(
              () -> program(c, "psql -h " + theirs.resolve("run") + " -U postgres -c 'SELECT 1'"))
          .isInstanceOf(SQLException.class);
    }

    // the users go with their instances; a project's group stays for its backups
    A.as().delete(A.path("instances/" + a)).then().statusCode(202);
    B.as().delete(B.path("instances/" + b)).then().statusCode(202);
    A.awaitDeleted(a, Duration.ofSeconds(60));
    B.awaitDeleted(b, Duration.ofSeconds(60));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(exit("getent", "passwd", osUser(a))).isEqualTo(2);
              assertThat(exit("getent", "passwd", osUser(b))).isEqualTo(2);
              assertThat(exit("getent", "group", projectGroup(B.project))).isZero();
            });
  }
}
