package io.coffer.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The provisioning flow driven by the unmodified OpenStack client, against real instances. */
class OpenStackClientIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void suite() {
    Suite.start();
  }

  private static Cli.Run openstack(Tenant t, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("openstack"));
    cmd.addAll(List.of(args));
    return Cli.run(
        Map.of(
            "OS_AUTH_TYPE",
            "admin_token",
            "OS_ENDPOINT",
            "http://127.0.0.1:" + Suite.API_PORT + "/v1.0/" + t.project,
            "OS_TOKEN",
            t.token),
        cmd);
  }

  private static String status(Tenant t, String id) throws Exception {
    JsonNode show =
        JSON.readTree(openstack(t, "database", "instance", "show", id, "-f", "json").out());
    return show.get("status").asText() + "/" + show.path("operating_status").asText();
  }

  private static void awaitActive(Tenant t, String id) {
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> status(t, id).equals("ACTIVE/HEALTHY"));
  }

  @Test
  void theWholeFlowWithTheOpenStackClient() throws Exception {
    Tenant t = new Tenant();
    JsonNode created =
        JSON.readTree(
            openstack(
                    t,
                    "database",
                    "instance",
                    "create",
                    "cli-db",
                    "--flavor",
                    "1",
                    "--size",
                    "1",
                    "--datastore",
                    "postgresql",
                    "--datastore-version",
                    "15",
                    "--databases",
                    "app",
                    "--users",
                    "carol:carol-Secret1",
                    "-f",
                    "json")
                .out());
    String id = created.get("id").asText();
    awaitActive(t, id);
    String ip = t.show(id).getString("instance.ip[0]");

    openstack(t, "database", "db", "create", id, "ledger");
    openstack(t, "database", "user", "create", id, "dave", "dave-Secret1");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              Cli.Run r = openstack(t, "database", "user", "list", id, "-f", "json");
              return r.out().contains("dave");
            });
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                openstack(t, "database", "db", "list", id, "-f", "json").out().contains("ledger"));
    openstack(t, "database", "user", "grant", "access", id, "dave", "ledger");
    try (Connection c =
        DriverManager.getConnection(
            "jdbc:postgresql://" + ip + ":5432/ledger", "dave", "dave-Secret1")) {
      assertThat(c.isValid(5)).isTrue();
    }
    JsonNode root =
        JSON.readTree(openstack(t, "database", "root", "enable", id, "-f", "json").out());
    try (Connection c =
        DriverManager.getConnection(
            "jdbc:postgresql://" + ip + ":5432/postgres", "root", root.get("password").asText())) {
      assertThat(c.isValid(5)).isTrue();
    }
    openstack(t, "database", "instance", "restart", id);
    awaitActive(t, id);
    openstack(t, "database", "instance", "resize", "volume", id, "2");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> t.show(id).getInt("instance.volume.size") == 2);
    awaitActive(t, id);
    openstack(t, "database", "instance", "delete", id);
    t.awaitDeleted(id, Duration.ofSeconds(60));
    try {
      DriverManager.getConnection(
              "jdbc:postgresql://" + ip + ":5432/postgres?connectTimeout=2", "root", "x")
          .close();
      throw new AssertionError("the database still answers after delete");
    } catch (SQLException expected) {
      assertThat(expected.getMessage()).containsIgnoringCase("connect");
    }
  }

  /** The seed's MySQL sequence, with the OpenStack client on a real MariaDB server. */
  @Test
  void theMysqlFlowWithTheOpenStackClient() throws Exception {
    Tenant t = new Tenant();
    JsonNode created =
        JSON.readTree(
            openstack(
                    t,
                    "database",
                    "instance",
                    "create",
                    "vm1",
                    "--flavor",
                    "2",
                    "--size",
                    "3",
                    "--datastore",
                    "mysql",
                    "--datastore-version",
                    "5.7",
                    "--databases",
                    "shop",
                    "--users",
                    "bob:bob-Secret1",
                    "-f",
                    "json")
                .out());
    String id = created.get("id").asText();
    awaitActive(t, id);
    String ip = t.show(id).getString("instance.ip[0]");
    try (Connection c =
        DriverManager.getConnection("jdbc:mariadb://" + ip + ":3306/shop", "bob", "bob-Secret1")) {
      assertThat(c.isValid(5)).isTrue();
    }

    openstack(t, "database", "db", "create", id, "ledger");
    openstack(t, "database", "user", "create", id, "carol", "carol-Secret1", "--host", "127.0.0.1");
    // database and user changes are casts: they show a moment later
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              JsonNode users =
                  JSON.readTree(openstack(t, "database", "user", "list", id, "-f", "json").out());
              assertThat(users.findValuesAsText("Name")).containsExactlyInAnyOrder("bob", "carol");
              assertThat(users.findValuesAsText("Host"))
                  .containsExactlyInAnyOrder("%", "127.0.0.1");
              JsonNode dbs =
                  JSON.readTree(openstack(t, "database", "db", "list", id, "-f", "json").out());
              assertThat(dbs.findValuesAsText("Name")).containsExactly("ledger", "shop");
            });
    openstack(
        t, "database", "user", "grant", "access", id, "carol", "ledger", "--host", "127.0.0.1");
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(
                        JSON.readTree(
                                openstack(
                                        t,
                                        "database",
                                        "user",
                                        "show",
                                        "access",
                                        id,
                                        "carol",
                                        "--host",
                                        "127.0.0.1",
                                        "-f",
                                        "json")
                                    .out())
                            .findValuesAsText("Name"))
                    .containsExactly("ledger"));
    try (Connection c =
        DriverManager.getConnection(
            "jdbc:mariadb://" + ip + ":3306/ledger", "carol", "carol-Secret1")) {
      assertThat(c.isValid(5)).isTrue();
    }

    JsonNode root =
        JSON.readTree(openstack(t, "database", "root", "enable", id, "-f", "json").out());
    try (Connection c =
        DriverManager.getConnection(
            "jdbc:mariadb://" + ip + ":3306/mysql", "root", root.get("password").asText())) {
      assertThat(c.isValid(5)).isTrue();
    }
    JsonNode shown =
        JSON.readTree(openstack(t, "database", "root", "show", id, "-f", "json").out());
    assertThat(shown.toString()).contains("true");

    openstack(t, "database", "instance", "delete", id);
    t.awaitDeleted(id, Duration.ofSeconds(60));
  }

  private static String scalar(String ip, String user, String password, String sql)
      throws SQLException {
    try (Connection c =
            DriverManager.getConnection(
                "jdbc:postgresql://" + ip + ":5432/app?connectTimeout=5", user, password);
        java.sql.Statement st = c.createStatement();
        java.sql.ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static void awaitBackup(Tenant t, String id) {
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () -> {
              String status =
                  JSON.readTree(openstack(t, "database", "backup", "show", id, "-f", "json").out())
                      .get("status")
                      .asText();
              assertThat(status).isNotEqualTo("FAILED");
              return status.equals("COMPLETED");
            });
  }

  @Test
  void backupsRestoresAndConfigurationGroupsWithTheOpenStackClient() throws Exception {
    Tenant t = new Tenant();
    String pw = "erin-Secret1";
    String id =
        JSON.readTree(
                openstack(
                        t,
                        "database",
                        "instance",
                        "create",
                        "cli-backed",
                        "--flavor",
                        "1",
                        "--size",
                        "1",
                        "--datastore",
                        "postgresql",
                        "--datastore-version",
                        "15",
                        "--databases",
                        "app",
                        "--users",
                        "erin:" + pw,
                        "-f",
                        "json")
                    .out())
            .get("id")
            .asText();
    awaitActive(t, id);
    String ip = t.show(id).getString("instance.ip[0]");
    String count = "SELECT count(*) FROM notes";
    try (Connection c =
            DriverManager.getConnection("jdbc:postgresql://" + ip + ":5432/app", "erin", pw);
        java.sql.Statement st = c.createStatement()) {
      st.execute("CREATE TABLE notes (id int, body text)");
      st.execute("INSERT INTO notes SELECT g, 'note ' || g FROM generate_series(1, 300) g");
    }

    String full =
        JSON.readTree(
                openstack(t, "database", "backup", "create", "cli-full", "-i", id, "-f", "json")
                    .out())
            .get("id")
            .asText();
    awaitBackup(t, full);
    try (Connection c =
            DriverManager.getConnection("jdbc:postgresql://" + ip + ":5432/app", "erin", pw);
        java.sql.Statement st = c.createStatement()) {
      st.execute("INSERT INTO notes SELECT g, 'note ' || g FROM generate_series(301, 450) g");
    }
    String incremental =
        JSON.readTree(
                openstack(
                        t,
                        "database",
                        "backup",
                        "create",
                        "cli-incr",
                        "-i",
                        id,
                        "--parent",
                        full,
                        "-f",
                        "json")
                    .out())
            .get("id")
            .asText();
    awaitBackup(t, incremental);
    JsonNode listed = JSON.readTree(openstack(t, "database", "backup", "list", "-f", "json").out());
    assertThat(listed.findValuesAsText("ID")).contains(full, incremental);

    String restored =
        JSON.readTree(
                openstack(
                        t,
                        "database",
                        "instance",
                        "create",
                        "cli-restored",
                        "--flavor",
                        "1",
                        "--size",
                        "1",
                        "--datastore",
                        "postgresql",
                        "--datastore-version",
                        "15",
                        "--backup",
                        incremental,
                        "-f",
                        "json")
                    .out())
            .get("id")
            .asText();
    awaitActive(t, restored);
    String restoredIp = t.show(restored).getString("instance.ip[0]");
    assertThat(scalar(restoredIp, "erin", pw, count)).isEqualTo("450");

    JsonNode parameters =
        JSON.readTree(
            openstack(
                    t,
                    "database",
                    "configuration",
                    "parameter",
                    "list",
                    "15",
                    "--datastore",
                    "postgresql",
                    "-f",
                    "json")
                .out());
    assertThat(parameters.findValuesAsText("Name")).contains("work_mem", "shared_buffers");
    String group =
        JSON.readTree(
                openstack(
                        t,
                        "database",
                        "configuration",
                        "create",
                        "cli-sorts",
                        "{\"work_mem\": 12288}",
                        "--datastore",
                        "postgresql",
                        "--datastore-version",
                        "15",
                        "-f",
                        "json")
                    .out())
            .get("id")
            .asText();
    openstack(t, "database", "configuration", "attach", id, group);
    assertThat(scalar(ip, "erin", pw, "SHOW work_mem")).isEqualTo("12MB");
    JsonNode shown =
        JSON.readTree(openstack(t, "database", "configuration", "show", group, "-f", "json").out());
    assertThat(shown.get("instance_count").asInt()).isEqualTo(1);
    openstack(t, "database", "configuration", "detach", id);
    assertThat(scalar(ip, "erin", pw, "SHOW work_mem")).isEqualTo("4MB");
    openstack(t, "database", "configuration", "delete", group);

    openstack(t, "database", "backup", "delete", full);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                !openstack(t, "database", "backup", "list", "-f", "json")
                    .out()
                    .contains(incremental));
    for (String i : List.of(restored, id)) {
      openstack(t, "database", "instance", "delete", i);
    }
    t.awaitDeleted(id, Duration.ofSeconds(60));
  }

  @Test
  void replicasWithTheOpenStackClient() throws Exception {
    Tenant t = new Tenant();
    String source =
        JSON.readTree(
                openstack(
                        t,
                        "database",
                        "instance",
                        "create",
                        "cli-source",
                        "--flavor",
                        "1",
                        "--size",
                        "1",
                        "--datastore",
                        "postgresql",
                        "--datastore-version",
                        "15",
                        "--locality",
                        "anti-affinity",
                        "-f",
                        "json")
                    .out())
            .get("id")
            .asText();
    awaitActive(t, source);
    String replica =
        JSON.readTree(
                openstack(
                        t,
                        "database",
                        "instance",
                        "create",
                        "cli-replica",
                        "--replica-of",
                        source,
                        "-f",
                        "json")
                    .out())
            .get("id")
            .asText();
    awaitActive(t, replica);
    JsonNode shownSource =
        JSON.readTree(openstack(t, "database", "instance", "show", source, "-f", "json").out());
    assertThat(shownSource.get("replicas").asText()).contains(replica);
    assertThat(shownSource.get("locality").asText()).isEqualTo("anti-affinity");
    JsonNode shownReplica =
        JSON.readTree(openstack(t, "database", "instance", "show", replica, "-f", "json").out());
    assertThat(shownReplica.get("replica_of").asText()).isEqualTo(source);

    openstack(t, "database", "instance", "promote", replica);
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () ->
                JSON.readTree(
                            openstack(t, "database", "instance", "show", source, "-f", "json")
                                .out())
                        .path("replica_of")
                        .asText()
                        .equals(replica)
                    && status(t, source).equals("ACTIVE/HEALTHY")
                    && status(t, replica).equals("ACTIVE/HEALTHY"));

    // the new source dies; once its heartbeat is old, the former source takes over again
    Suite.killDatabase(replica);
    Suite.killGuest(replica);
    Thread.sleep(Suite.HEARTBEAT_EXPIRY.plusSeconds(3).toMillis());
    openstack(t, "database", "instance", "eject", replica);
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () ->
                !JSON.readTree(
                            openstack(t, "database", "instance", "show", source, "-f", "json")
                                .out())
                        .has("replica_of")
                    && status(t, source).equals("ACTIVE/HEALTHY"));

    String second =
        JSON.readTree(
                openstack(
                        t,
                        "database",
                        "instance",
                        "create",
                        "cli-replica-2",
                        "--replica-of",
                        source,
                        "-f",
                        "json")
                    .out())
            .get("id")
            .asText();
    awaitActive(t, second);
    openstack(t, "database", "instance", "detach", second);
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () ->
                !JSON.readTree(
                        openstack(t, "database", "instance", "show", second, "-f", "json").out())
                    .has("replica_of"));
    for (String id : List.of(second, replica, source)) {
      openstack(t, "database", "instance", "delete", id);
    }
    t.awaitDeleted(source, Duration.ofSeconds(60));
  }
}
