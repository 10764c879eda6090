package io.coffer.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.coffer.testing.Db;
import io.coffer.testing.ServiceProcess;
import io.coffer.testing.Tokens;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Scenario 9 of the fault-injection suite: after a run that creates users, enables root and changes
 * passwords, no password, token or key appears in any service or guest log, fault row, API body
 * (but the one response that returns a generated password), metrics page or dashboard view.
 */
class SecretsIT {

  private static final Tenant TENANT = new Tenant();
  private static String id;

  @AfterAll
  static void cleanUp() {
    if (id != null) {
      TENANT.as().delete(TENANT.path("instances/" + id));
    }
  }

  private static String secret() {
    return "Pw-" + UUID.randomUUID().toString().replace("-", "");
  }

  private static String get(String path, String token) {
    return Suite.as(token).get(path).then().extract().asString();
  }

  @Test
  void noSecretAppearsInLogsFaultsBodiesMetricsOrTheDashboard() throws Exception {
    Suite.start();
    Map<String, String> secrets = new LinkedHashMap<>();
    secrets.put("user password at create", secret());
    secrets.put("user password at user create", secret());
    secrets.put("changed user password", secret());
    secrets.put("changed password (bulk)", secret());
    secrets.put("root password given", secret());
    id =
        TENANT
            .as()
            .body(
                "{\"instance\": {\"name\": \"secrets\", \"flavorRef\": \"1\","
                    + " \"volume\": {\"size\": 1}, \"databases\": [{\"name\": \"app\"}],"
                    + " \"users\": [{\"name\": \"alice\", \"password\": \""
                    + secrets.get("user password at create")
                    + "\", \"databases\": [{\"name\": \"app\"}]}]}}")
            .post(TENANT.path("instances"))
            .then()
            .statusCode(200)
            .extract()
            .path("instance.id");
    TENANT.await(id, "ACTIVE", Duration.ofSeconds(90));
    String base = TENANT.path("instances/" + id);
    TENANT
        .as()
        .body(
            "{\"users\": [{\"name\": \"bob\", \"password\": \""
                + secrets.get("user password at user create")
                + "\"}]}")
        .post(base + "/users")
        .then()
        .statusCode(202);
    // the user is created by the guest after the 202
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> TENANT.as().get(base + "/users/bob").statusCode() == 200);
    TENANT
        .as()
        .body("{\"user\": {\"password\": \"" + secrets.get("changed user password") + "\"}}")
        .put(base + "/users/bob")
        .then()
        .statusCode(202);
    TENANT
        .as()
        .body(
            "{\"users\": [{\"name\": \"alice\", \"password\": \""
                + secrets.get("changed password (bulk)")
                + "\"}]}")
        .put(base + "/users")
        .then()
        .statusCode(202);
    TENANT
        .as()
        .body("{\"password\": \"" + secrets.get("root password given") + "\"}")
        .post(base + "/root")
        .then()
        .statusCode(200);
    // the one response that returns a generated password
    String generated =
        TENANT.as().post(base + "/root").then().statusCode(200).extract().path("user.password");
    assertThat(generated).hasSizeGreaterThanOrEqualTo(16);
    secrets.put("generated root password", generated);
    // a failing call that carries a password: the fault must not repeat it
    String refused = secret();
    TENANT
        .as()
        .body("{\"users\": [{\"name\": \"bob\", \"password\": \"" + refused + "\"}]}")
        .post(base + "/users")
        .then()
        .statusCode(400);
    secrets.put("password of a refused request", refused);
    // tokens and keys
    secrets.put("tenant token", TENANT.token);
    secrets.put("admin token", Tokens.admin());
    Properties guest = new Properties();
    try (var in =
        Files.newInputStream(
            Suite.INSTANCES.resolve(id).resolve("config/application.properties"))) {
      guest.load(in);
    }
    secrets.put("guest broker password", guest.getProperty("coffer.bus.password"));
    secrets.put("instance message key", guest.getProperty("coffer.guest.message-key"));
    secrets.put(
        "master key",
        Files.readString(ServiceProcess.repositoryRoot().resolve("test-support/test-master.key"))
            .trim());
    secrets.values().forEach(s -> assertThat(s).isNotBlank());

    // what operators and users can read
    Map<String, String> places = new LinkedHashMap<>();
    String admin = Tokens.admin();
    places.put("instance list", get(TENANT.path("instances"), TENANT.token));
    places.put("instance show", get(base, TENANT.token));
    places.put("instance show (admin)", get(base, admin));
    places.put("users", get(base + "/users", TENANT.token));
    places.put("user bob", get(base + "/users/bob", TENANT.token));
    places.put("databases", get(base + "/databases", TENANT.token));
    places.put("root status", get(base + "/root", TENANT.token));
    places.put("mgmt instance", get("/v1.0/admin/mgmt/instances/" + id, admin));
    places.put("dashboard instances", get("/dashboard/api/instances", admin));
    places.put("dashboard backups", get("/dashboard/api/backups", admin));
    places.put("dashboard services", get("/dashboard/api/services", admin));
    for (int port : new int[] {Suite.API_PORT, 28781, 28782}) {
      places.put(
          "metrics :" + port,
          MetricsIT.scrape(port).stream()
              .map(s -> s.name() + s.labels())
              .reduce("", (a, b) -> a + "\n" + b));
    }
    places.put(
        "instance faults",
        String.valueOf(
            Db.value(
                "SELECT coalesce(string_agg(message || ' ' || coalesce(details, ''), '\n'), '')"
                    + " FROM instance_faults")));
    // every log: the daemons', the guest's and its database server's
    List<Path> logs = new ArrayList<>();
    try (Stream<Path> s = Files.walk(Path.of("target", "processes"))) {
      s.filter(Files::isRegularFile).forEach(logs::add);
    }
    try (Stream<Path> s = Files.walk(Suite.INSTANCES.resolve(id))) {
      s.filter(Files::isRegularFile)
          .filter(p -> p.toString().endsWith(".log") || p.toString().contains("/log/"))
          .forEach(logs::add);
    }
    assertThat(logs).anyMatch(p -> p.toString().endsWith("guest.log"));
    for (Path log : logs) {
      places.put("log " + log, Files.readString(log, StandardCharsets.ISO_8859_1));
    }

    List<String> found = new ArrayList<>();
    places.forEach(
        (where, text) ->
            secrets.forEach(
                (what, value) -> {
                  if (text.contains(value)) {
                    found.add(what + " in " + where);
                  }
                }));
    assertThat(found).as("secrets found").isEmpty();
    assertThat(places).hasSizeGreaterThan(15);
  }
}
