package io.coffer.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.coffer.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The unmodified OpenStack client with the Trove plugin (Debian's python3-openstackclient and
 * python3-troveclient) against this API, with token auth and no Keystone.
 */
@QuarkusTest
class OpenStackClientTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static String pg;

  @BeforeAll
  static void datastore() {
    pg = Api.pgVersion();
  }

  private record Run(int exit, String out, String err) {
    JsonNode json() {
      try {
        return JSON.readTree(out);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + out + err, e);
      }
    }
  }

  private static Run openstack(Api api, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("openstack"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    Map<String, String> env = pb.environment();
    env.put("OS_AUTH_TYPE", "admin_token");
    env.put("OS_ENDPOINT", "http://127.0.0.1:" + RestAssured.port + "/v1.0/" + api.project);
    env.put("OS_TOKEN", api.token);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), out, err);
  }

  private static Run ok(Api api, String... args) throws Exception {
    Run r = openstack(api, args);
    assertThat(r.exit()).as(String.join(" ", args) + "\n" + r.out() + r.err()).isZero();
    return r;
  }

  @Test
  void datastoresFlavorsLimitsAndQuotas() throws Exception {
    Api api = new Api();
    assertThat(ok(api, "datastore", "list", "-f", "json").json().findValuesAsText("Name"))
        .contains("postgresql");
    assertThat(ok(api, "datastore", "show", "postgresql", "-f", "json").json().get("name").asText())
        .isEqualTo("postgresql");
    assertThat(
            ok(api, "datastore", "version", "list", "postgresql", "-f", "json")
                .json()
                .findValuesAsText("Name"))
        .contains("15");
    assertThat(ok(api, "database", "flavor", "list", "-f", "json").json().findValuesAsText("Name"))
        .contains("m1.tiny");
    assertThat(ok(api, "database", "limit", "list").out()).contains("max_instances");
    assertThat(
            ok(api, "database", "quota", "show", api.project, "-f", "json")
                .json()
                .findValuesAsText("Resource"))
        .contains("instances", "volumes", "backups", "ram");
  }

  @Test
  void instanceLifecycleCommands() throws Exception {
    Api api = new Api();
    JsonNode created =
        ok(
                api,
                "database",
                "instance",
                "create",
                "inst1",
                "--flavor",
                "1",
                "--size",
                "1",
                "--datastore",
                "postgresql",
                "--datastore-version",
                "15",
                "--databases",
                "db1",
                "--users",
                "alice:secretA",
                "-f",
                "json")
            .json();
    assertThat(created.get("status").asText()).isEqualTo("BUILD");
    assertThat(created.get("name").asText()).isEqualTo("inst1");
    String built = created.get("id").asText();
    assertThat(ok(api, "database", "instance", "list", "-f", "json").json().findValuesAsText("ID"))
        .contains(built);
    assertThat(
            ok(api, "database", "instance", "show", built, "-f", "json")
                .json()
                .get("datastore")
                .asText())
        .isEqualTo("postgresql");

    String active = Fixtures.instance(api.project).datastoreVersion(pg).name("live").insert();
    ok(api, "database", "instance", "update", active, "--name", "renamed");
    assertThat(
            ok(api, "database", "instance", "show", active, "-f", "json")
                .json()
                .get("name")
                .asText())
        .isEqualTo("renamed");
    ok(api, "database", "instance", "restart", active);
    String other = Fixtures.instance(api.project).datastoreVersion(pg).insert();
    ok(api, "database", "instance", "resize", "volume", other, "2");
    String third = Fixtures.instance(api.project).datastoreVersion(pg).insert();
    ok(api, "database", "instance", "resize", "flavor", third, "2");
    String doomed = Fixtures.instance(api.project).datastoreVersion(pg).insert();
    ok(api, "database", "instance", "delete", doomed);
    // a building instance is removed with force delete (reset status, then delete)
    ok(api, "database", "instance", "force", "delete", built);
  }

  @Test
  void databaseAndUserCommandsReachTheGuest() throws Exception {
    Api api = new Api();
    String id = Fixtures.instance(api.project).datastoreVersion(pg).insert();
    String guestError = "An error occurred communicating with the guest";
    for (String[] command :
        List.of(
            new String[] {"database", "db", "create", id, "db3"},
            new String[] {"database", "db", "list", id},
            new String[] {
              "database", "user", "create", id, "carol", "secretC", "--databases", "db1"
            },
            new String[] {"database", "user", "list", id},
            new String[] {"database", "user", "show", id, "carol"},
            new String[] {"database", "root", "enable", id})) {
      Run r = openstack(api, command);
      assertThat(r.exit()).as(String.join(" ", command)).isEqualTo(1);
      assertThat(r.err()).as(String.join(" ", command)).contains(guestError).contains("(HTTP 400)");
    }
    assertThat(
            ok(api, "database", "root", "show", id, "-f", "json")
                .json()
                .get("is_root_enabled")
                .asBoolean())
        .isFalse();
  }

  @Test
  void backupAndConfigurationCommands() throws Exception {
    Api api = new Api();
    ok(api, "database", "backup", "list");
    String id =
        ok(
                api,
                "database",
                "configuration",
                "create",
                "conf1",
                "{\"work_mem\": 8192}",
                "--datastore",
                "postgresql",
                "--datastore-version",
                "15",
                "-f",
                "json")
            .json()
            .get("id")
            .asText();
    assertThat(
            ok(api, "database", "configuration", "list", "-f", "json")
                .json()
                .findValuesAsText("ID"))
        .contains(id);
    assertThat(
            ok(api, "database", "configuration", "show", id, "-f", "json")
                .json()
                .get("values")
                .asText())
        .contains("8192");
    ok(api, "database", "configuration", "parameter", "list", "--datastore", "postgresql", "15");
    ok(api, "database", "configuration", "delete", id);
  }
}
