package io.coffer.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The provisioning flow driven by the unmodified OpenStack client, against real instances. */
class OpenStackClientIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void suite() {
    Suite.start();
  }

  private record Run(int exit, String out, String err) {}

  private static Run openstack(Tenant t, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("openstack"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    Map<String, String> env = pb.environment();
    env.put("OS_AUTH_TYPE", "admin_token");
    env.put("OS_ENDPOINT", "http://127.0.0.1:" + Suite.API_PORT + "/v1.0/" + t.project);
    env.put("OS_TOKEN", t.token);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    Run r = new Run(p.exitValue(), out, err);
    assertThat(r.exit()).as(String.join(" ", args) + "\n" + out + err).isZero();
    return r;
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
              Run r = openstack(t, "database", "user", "list", id, "-f", "json");
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
}
