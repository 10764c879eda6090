package io.coffer.guest.datastore.postgresql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coffer.guest.config.GuestConfig;
import io.coffer.guest.datastore.GuestError;
import io.coffer.model.guest.DatabaseModel;
import io.coffer.model.guest.UserAttributes;
import io.coffer.model.guest.UserModel;
import io.coffer.model.secret.Secret;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The guest's PostgreSQL files and admin operations against a real PostgreSQL 15 server: a cluster
 * made by initdb with the admin password the guest generated, the configuration and access files
 * the guest writes (checked by the server itself through {@code pg_file_settings} and {@code
 * pg_hba_file_rules}), then databases, users, grants and root through {@link PgAdmin}.
 *
 * <p>The server runs as the {@code postgres} OS user when the tests run as root (PostgreSQL refuses
 * root), as the guest's own OS user does in production.
 */
class PgServerAdminTest {

  private static final String ADDRESS = "127.0.3.250";
  private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

  private static Path home;
  private static PgServer server;
  private static PgAdmin admin;

  private static GuestConfig config(Path dataDir) {
    Map<String, Object> values =
        Map.of(
            "dataDir",
            dataDir,
            "bindAddress",
            ADDRESS,
            "port",
            5432,
            "volumeSize",
            1,
            "binDir",
            Optional.empty(),
            "datastoreVersion",
            "15");
    return (GuestConfig)
        Proxy.newProxyInstance(
            GuestConfig.class.getClassLoader(),
            new Class<?>[] {GuestConfig.class},
            (proxy, method, args) -> {
              if (!values.containsKey(method.getName())) {
                throw new UnsupportedOperationException(method.getName());
              }
              return values.get(method.getName());
            });
  }

  /** Runs a command (as postgres when this is root); fails with its output. */
  private static void run(String... command) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    if (ROOT) {
      cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    cmd.addAll(List.of(command));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", cmd) + "\n" + out).isZero();
  }

  private static void chownToPostgres(Path dir) throws IOException, InterruptedException {
    if (ROOT) {
      Process p = new ProcessBuilder("chown", "-R", "postgres:postgres", dir.toString()).start();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
  }

  @BeforeAll
  static void cluster() throws Exception {
    home = Files.createTempDirectory("coffer-pg-test");
    Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
    server = new PgServer(config(home));
    server.createDirectories();
    Path pwfile = server.writeAdminPassword(server.newPassword());
    chownToPostgres(home);
    run(
        server.bin("initdb").toString(),
        "-D",
        server.pgdata().toString(),
        "-U",
        "postgres",
        "--pwfile=" + pwfile,
        "--auth-local=trust",
        "--auth-host=scram-sha-256",
        "-E",
        "UTF8",
        "--locale=C.UTF-8");
    // what the guest adds to postgresql.conf after initdb, then its own files
    Files.writeString(
        server.pgdata().resolve("postgresql.conf"),
        "\ninclude_if_exists = 'coffer.conf'\n"
            + "include_if_exists = 'overrides.conf'\n"
            + "include_if_exists = 'guest.conf'\n",
        StandardOpenOption.APPEND);
    server.writeGuestSettings();
    // the tests connect from this host's loopback address
    server.writeHba(List.of("127.0.0.0/8", "10.0.0.0/8"));
    server.writeConfig("shared_buffers = 16MB\nmax_connections = 40\n");
    server.resizeVolume(4);
    server.writeOverrides(Map.of("work_mem", "8MB", "cluster_name", "it's a test"));
    chownToPostgres(home);
    run(
        server.bin("pg_ctl").toString(),
        "-D",
        server.pgdata().toString(),
        "-l",
        home.resolve("logs/server.log").toString(),
        "-w",
        "start");
    admin = new PgAdmin(server);
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      run(server.bin("pg_ctl").toString(), "-D", server.pgdata().toString(), "-m", "fast", "stop");
    }
    if (home != null) {
      new ProcessBuilder("rm", "-rf", home.toString()).start().waitFor(30, TimeUnit.SECONDS);
    }
  }

  private static String scalar(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static Connection as(String user, String password, String database) throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://" + ADDRESS + ":5432/" + database + "?connectTimeout=5", user, password);
  }

  @Test
  void theServerReadsEveryFileTheGuestWroteWithoutAnError() throws Exception {
    try (Connection c = server.connect("postgres")) {
      assertThat(scalar(c, "SELECT count(*) FROM pg_file_settings WHERE error IS NOT NULL"))
          .isEqualTo("0");
      assertThat(scalar(c, "SELECT count(*) FROM pg_hba_file_rules WHERE error IS NOT NULL"))
          .isEqualTo("0");
      assertThat(scalar(c, "SHOW listen_addresses")).isEqualTo(ADDRESS);
      assertThat(scalar(c, "SHOW archive_mode")).isEqualTo("on");
      assertThat(scalar(c, "SHOW log_statement")).isEqualTo("none");
      assertThat(scalar(c, "SHOW password_encryption")).isEqualTo("scram-sha-256");
      // the flavor's template, the configuration group (a quote in a value) and the volume's WAL
      assertThat(scalar(c, "SHOW max_connections")).isEqualTo("40");
      assertThat(scalar(c, "SHOW work_mem")).isEqualTo("8MB");
      assertThat(scalar(c, "SHOW cluster_name")).isEqualTo("it's a test");
      assertThat(scalar(c, "SHOW max_wal_size")).isEqualTo("512MB");
      // tenants come in only from their allowed networks, by password
      assertThat(
              scalar(
                  c,
                  "SELECT string_agg(address || '/' || netmask || ' ' || auth_method, ','"
                      + " ORDER BY line_number) FROM pg_hba_file_rules WHERE 'all' = ANY(user_name)"
                      + " AND 'all' = ANY(database) AND type = 'host'"))
          .isEqualTo("127.0.0.0/255.0.0.0 scram-sha-256,10.0.0.0/255.0.0.0 scram-sha-256");
    }
  }

  @Test
  void databasesUsersAndGrantsAreRealAndTheAdminStaysHidden() throws Exception {
    admin.createDatabases(List.of(DatabaseModel.named("shop"), DatabaseModel.named("ledger")));
    Secret pw = new Secret("pa'ss \"word\"");
    admin.createUsers(
        List.of(
            new UserModel(
                "alice", UserModel.ANY_HOST, pw, List.of(DatabaseModel.named("shop")), false)));

    assertThat(admin.databases(10, null, false).items())
        .extracting(DatabaseModel::name)
        .contains("ledger", "shop")
        .doesNotContain("postgres", "template0", "template1");
    assertThat(admin.users(10, null, false).items())
        .extracting(UserModel::name)
        .contains("alice")
        .doesNotContain("postgres", "root", "os_admin", "replicator");
    assertThat(admin.access("alice", null)).extracting(DatabaseModel::name).containsExactly("shop");

    // the password with quotes works, for the database granted and not for the other
    try (Connection c = as("alice", pw.value(), "shop")) {
      assertThat(scalar(c, "SELECT current_user")).isEqualTo("alice");
      try (Statement st = c.createStatement()) {
        st.execute("CREATE TABLE items (id int)");
      }
    }
    assertThatThrownBy(() -> as("alice", pw.value(), "ledger").close())
        .isInstanceOf(SQLException.class);

    admin.grant("alice", null, List.of("ledger"));
    try (Connection c = as("alice", pw.value(), "ledger")) {
      assertThat(c.isValid(5)).isTrue();
    }
    admin.revoke("alice", null, "ledger");
    assertThatThrownBy(() -> as("alice", pw.value(), "ledger").close())
        .isInstanceOf(SQLException.class);

    // a new password and a new name
    Secret newPw = new Secret("second-Secret1");
    admin.updateUser("alice", null, new UserAttributes("alicia", null, newPw));
    try (Connection c = as("alicia", newPw.value(), "shop")) {
      assertThat(c.isValid(5)).isTrue();
    }

    // what the guest refuses: bad names, reserved users
    assertThatThrownBy(() -> admin.createDatabases(List.of(DatabaseModel.named("x\"; DROP"))))
        .isInstanceOf(GuestError.class);
    assertThatThrownBy(
            () ->
                admin.createUsers(
                    List.of(
                        new UserModel("postgres", UserModel.ANY_HOST, newPw, List.of(), false))))
        .isInstanceOf(GuestError.class)
        .hasMessageContaining("reserved");

    admin.deleteUser("alicia", null);
    admin.deleteDatabase("ledger");
    assertThat(admin.users(10, null, false).items())
        .extracting(UserModel::name)
        .doesNotContain("alicia");
    assertThat(admin.databases(10, null, false).items())
        .extracting(DatabaseModel::name)
        .doesNotContain("ledger");
  }

  @Test
  void rootIsASuperuserUntilDisabled() throws Exception {
    assertThat(admin.rootEnabled()).isFalse();
    UserModel root = admin.enableRoot(null);
    assertThat(admin.rootEnabled()).isTrue();
    try (Connection c = as("root", root.password().value(), "postgres")) {
      assertThat(scalar(c, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"))
          .isEqualTo("t");
    }
    admin.disableRoot();
    assertThatThrownBy(() -> as("root", root.password().value(), "postgres").close())
        .isInstanceOf(SQLException.class);
  }
}
