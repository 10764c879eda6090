package io.coffer.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.coffer.testing.Broker;
import io.coffer.testing.RabbitProbe;
import io.coffer.testing.TestEnv;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Trove's usage notifications, received by a real oslo.messaging notification listener (Debian's
 * python3-oslo.messaging, as Ceilometer uses it): create, modify_volume, modify_flavor, delete and
 * the periodic exists of real instances, each exactly once, also for a create asked for while the
 * broker was down.
 */
class NotificationsIT {

  private static final String TOPIC = "coffer_test_notifications";
  private static final String EXCHANGE = "trove";
  private static final Duration READY = Duration.ofSeconds(90);
  private static final String PASSWORD = "shop-Secret1";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Tenant TENANT = new Tenant();

  private static Process listener;
  private static Path received;

  @BeforeAll
  static void listen() throws Exception {
    Suite.start();
    Suite.reconfigure(
        "taskmanager-service",
        Map.of(
            "coffer.notifications.enabled", "true",
            "coffer.notifications.topics", TOPIC,
            "coffer.notifications.publisher-id", "taskmanager.coffer-test",
            "coffer.notifications.region", "RegionTest",
            "coffer.notifications.exists-interval", "20s",
            "coffer.notifications.exists-check", "1s"));
    Suite.reconfigure(
        "api-service",
        Map.of(
            "coffer.notifications.enabled", "true",
            "coffer.notifications.publisher-id", "api.coffer-test",
            "coffer.notifications.quota-interval", "2s"));
    Suite.reconfigure(
        "conductor-service",
        Map.of(
            "coffer.notifications.enabled", "true",
            "coffer.notifications.publisher-id", "conductor.coffer-test"));
    // nothing left from an earlier run
    try (RabbitProbe probe = RabbitProbe.open()) {
      probe.channel().queueDelete(TOPIC + ".info");
    }
    received = Path.of("target", "notifications.jsonl").toAbsolutePath();
    Files.deleteIfExists(received);
    Path script = Path.of("src/test/resources/oslo_notification_listener.py").toAbsolutePath();
    String url = TestEnv.osloTransportUrl();
    listener =
        new ProcessBuilder(
                "/usr/bin/python3", script.toString(), url, EXCHANGE, TOPIC, received.toString())
            .redirectErrorStream(true)
            .start();
    BufferedReader out =
        new BufferedReader(
            new InputStreamReader(listener.getInputStream(), StandardCharsets.UTF_8));
    String first = out.readLine();
    assertThat(first).as("the oslo listener's first line").isEqualTo("listening");
    // its queue is declared and consumed
    await().atMost(Duration.ofSeconds(30)).until(() -> Broker.consumers(TOPIC + ".info") >= 1);
    Thread drain =
        new Thread(
            () -> {
              try {
                while (out.readLine() != null) {
                  // the listener's own log
                }
              } catch (IOException e) {
                // the listener ended
              }
            });
    drain.setDaemon(true);
    drain.start();
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      Suite.restore("taskmanager-service");
      Suite.restore("api-service");
      Suite.restore("conductor-service");
    } finally {
      if (listener != null) {
        listener.destroy();
        listener.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  /** The notifications received so far of one type about one instance. */
  private static List<JsonNode> events(String type, String instanceId) throws IOException {
    List<JsonNode> found = new ArrayList<>();
    if (!Files.exists(received)) {
      return found;
    }
    for (String line : Files.readAllLines(received)) {
      JsonNode n = JSON.readTree(line);
      if (n.path("event_type").asText().equals(type)
          && n.path("payload").path("instance_id").asText().equals(instanceId)) {
        found.add(n);
      }
    }
    return found;
  }

  /** The notifications received so far of one type whose payload has {@code field = value}. */
  private static List<JsonNode> where(String type, String field, String value) throws IOException {
    List<JsonNode> found = new ArrayList<>();
    if (!Files.exists(received)) {
      return found;
    }
    for (String line : Files.readAllLines(received)) {
      JsonNode n = JSON.readTree(line);
      if (n.path("event_type").asText().equals(type)
          && n.path("payload").path(field).asText().equals(value)) {
        found.add(n);
      }
    }
    return found;
  }

  /** The position of a notification among all received (its order of arrival). */
  private static int position(JsonNode event) throws IOException {
    List<String> lines = Files.readAllLines(received);
    String id = event.path("metadata").path("message_id").asText();
    for (int n = 0; n < lines.size(); n++) {
      if (JSON.readTree(lines.get(n)).path("metadata").path("message_id").asText().equals(id)) {
        return n;
      }
    }
    return -1;
  }

  /** Checks a dbaas.* start and its end: Trove's base traits, the end after the start. */
  private static void startedAndEnded(String action, JsonNode start, JsonNode end)
      throws IOException {
    JsonNode p = start.path("payload");
    assertThat(start.path("publisher_id").asText()).isEqualTo("api.coffer-test");
    assertThat(p.path("server_type").asText()).isEqualTo("api");
    assertThat(p.path("tenant_id").asText()).isEqualTo(TENANT.project);
    assertThat(p.path("request_id").asText()).startsWith("req-");
    assertThat(p.path("client_ip").asText()).isNotBlank();
    assertThat(p.path("server_ip").asText()).isNotBlank();
    assertThat(end.path("event_type").asText()).isEqualTo("dbaas." + action + ".end");
    assertThat(end.path("publisher_id").asText()).isEqualTo("taskmanager.coffer-test");
    assertThat(end.path("payload").path("server_type").asText()).isEqualTo("taskmanager");
    assertThat(end.path("payload").path("request_id").asText())
        .isEqualTo(p.path("request_id").asText());
    assertThat(position(end)).as("the end after its start").isGreaterThan(position(start));
  }

  private static JsonNode one(String type, String instanceId) {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> !events(type, instanceId).isEmpty());
    try {
      return events(type, instanceId).get(0);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void action(String id, String body) {
    TENANT.as().body(body).post(TENANT.path("instances/" + id + "/action")).then().statusCode(202);
  }

  @Test
  void theLifeOfAnInstanceIsReportedOnceEachInTrovesFormat() throws Exception {
    String id = TENANT.createShop("notified", 1, PASSWORD, null);
    TENANT.await(id, "ACTIVE", READY);

    JsonNode create = one("trove.instance.create", id);
    assertThat(create.path("priority").asText()).isEqualTo("INFO");
    assertThat(create.path("publisher_id").asText()).isEqualTo("taskmanager.coffer-test");
    assertThat(create.path("metadata").path("message_id").asText()).hasSize(36);
    assertThat(create.path("metadata").path("timestamp").asText())
        .matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{6}");
    JsonNode p = create.path("payload");
    assertThat(p.path("tenant_id").asText()).isEqualTo(TENANT.project);
    assertThat(p.path("user_id").asText()).isNotBlank();
    assertThat(p.path("instance_name").asText()).isEqualTo("notified");
    assertThat(p.path("name").asText()).isEqualTo("notified");
    assertThat(p.path("instance_type_id").asText()).isEqualTo("1");
    assertThat(p.path("instance_type").asText()).isEqualTo("m1.tiny");
    assertThat(p.path("instance_size").asInt()).isEqualTo(512);
    assertThat(p.path("volume_size").asInt()).isEqualTo(1);
    assertThat(p.path("datastore").asText()).isEqualTo("postgresql");
    assertThat(p.path("datastore_version").asText()).isEqualTo("15");
    assertThat(p.path("service_id").asText()).isEqualTo("ac277e0d-4f21-40aa-b347-1ea31e571720");
    assertThat(p.path("region").asText()).isNotBlank();
    assertThat(p.path("state").asText()).isEqualTo("active");
    assertThat(p.path("created_at").asText())
        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ")
        .isEqualTo(p.path("launched_at").asText());

    // the periodic audit reports it while it lives
    JsonNode exists = one("trove.instance.exists", id);
    assertThat(exists.path("payload").path("audit_period_beginning").asText())
        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
    assertThat(exists.path("payload").path("audit_period_ending").asText())
        .isGreaterThan(exists.path("payload").path("audit_period_beginning").asText());
    assertThat(exists.path("payload").path("display_name").asText()).isEqualTo("notified");

    action(id, "{\"resize\": {\"volume\": {\"size\": 2}}}");
    TENANT.await(id, "ACTIVE", READY);
    JsonNode volume = one("trove.instance.modify_volume", id).path("payload");
    assertThat(volume.path("old_volume_size").asInt()).isEqualTo(1);
    assertThat(volume.path("volume_size").asInt()).isEqualTo(2);
    assertThat(volume.path("modify_at").asText()).matches(".*T.*Z");

    action(id, "{\"resize\": {\"flavorRef\": \"2\"}}");
    TENANT.await(id, "ACTIVE", READY);
    JsonNode flavor = one("trove.instance.modify_flavor", id).path("payload");
    assertThat(flavor.path("old_instance_size").asInt()).isEqualTo(512);
    assertThat(flavor.path("instance_size").asInt()).isEqualTo(2048);
    assertThat(flavor.path("instance_type_id").asText()).isEqualTo("2");

    TENANT.as().delete(TENANT.path("instances/" + id)).then().statusCode(202);
    TENANT.awaitDeleted(id, READY);
    JsonNode delete = one("trove.instance.delete", id).path("payload");
    assertThat(delete.path("deleted_at").asText()).matches(".*T.*Z");

    // Trove's API notifications of the same calls: start from the API, end from the taskmanager
    JsonNode createStart = where("dbaas.instance_create.start", "name", "notified").get(0);
    assertThat(createStart.path("payload").path("flavor_id").asText()).isEqualTo("1");
    assertThat(createStart.path("payload").path("volume_size").asInt()).isEqualTo(1);
    assertThat(createStart.path("payload").path("region_name").asText()).isNotBlank();
    assertThat(createStart.path("payload").path("users").toString())
        .contains("shop")
        .doesNotContain(PASSWORD);
    startedAndEnded("instance_create", createStart, one("dbaas.instance_create.end", id));
    startedAndEnded(
        "instance_resize_volume",
        one("dbaas.instance_resize_volume.start", id),
        one("dbaas.instance_resize_volume.end", id));
    assertThat(
            one("dbaas.instance_resize_volume.start", id).path("payload").path("new_size").asInt())
        .isEqualTo(2);
    startedAndEnded(
        "instance_resize_instance",
        one("dbaas.instance_resize_instance.start", id),
        one("dbaas.instance_resize_instance.end", id));
    startedAndEnded(
        "instance_delete",
        one("dbaas.instance_delete.start", id),
        one("dbaas.instance_delete.end", id));

    // nothing twice
    Thread.sleep(2000);
    for (String type :
        List.of(
            "dbaas.instance_create.end",
            "dbaas.instance_resize_volume.start",
            "dbaas.instance_resize_volume.end",
            "dbaas.instance_delete.end")) {
      assertThat(events(type, id)).as(type).hasSize(1);
    }
    for (String type :
        List.of(
            "trove.instance.create",
            "trove.instance.modify_volume",
            "trove.instance.modify_flavor",
            "trove.instance.delete")) {
      assertThat(events(type, id)).as(type).hasSize(1);
    }
  }

  @Test
  void aRefusedCallReportsItsErrorAndNoEnd() throws Exception {
    // a create refused after it started (an unknown flavor): start, then error with the reason
    String name = "refused-" + System.nanoTime();
    TENANT
        .as()
        .body(
            "{\"instance\": {\"name\": \""
                + name
                + "\", \"flavorRef\": \"no-such-flavor\", \"volume\": {\"size\": 1}}}")
        .post(TENANT.path("instances"))
        .then()
        .statusCode(org.hamcrest.Matchers.greaterThanOrEqualTo(400));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> !where("dbaas.instance_create.error", "name", name).isEmpty());
    JsonNode start = where("dbaas.instance_create.start", "name", name).get(0);
    JsonNode error = where("dbaas.instance_create.error", "name", name).get(0);
    assertThat(error.path("publisher_id").asText()).isEqualTo("api.coffer-test");
    assertThat(error.path("payload").path("message").asText()).containsIgnoringCase("flavor");
    assertThat(error.path("payload").path("exception").isArray()).isTrue();
    assertThat(error.path("payload").path("request_id").asText())
        .isEqualTo(start.path("payload").path("request_id").asText());
    assertThat(position(error)).isGreaterThan(position(start));

    // an action refused by the API: a volume cannot shrink
    String id = TENANT.createShop("refused-resize", 1, PASSWORD, null);
    TENANT.await(id, "ACTIVE", READY);
    TENANT
        .as()
        .body("{\"resize\": {\"volume\": {\"size\": 1}}}")
        .post(TENANT.path("instances/" + id + "/action"))
        .then()
        .statusCode(400);
    JsonNode refused = one("dbaas.instance_resize_volume.error", id);
    assertThat(refused.path("payload").path("message").asText()).contains("must be larger");
    assertThat(one("dbaas.instance_resize_volume.start", id)).isNotNull();
    TENANT.as().delete(TENANT.path("instances/" + id)).then().statusCode(202);
    TENANT.awaitDeleted(id, READY);
    one("dbaas.instance_delete.end", id);
    assertThat(where("dbaas.instance_create.end", "name", name)).isEmpty();
    assertThat(events("dbaas.instance_resize_volume.end", id)).isEmpty();
  }

  @Test
  void guestWorkBackupsAndConfigurationGroupsAreReported() throws Exception {
    String id = TENANT.createShop("notified-guest", 1, PASSWORD, null);
    TENANT.await(id, "ACTIVE", READY);

    // a database the guest makes: the guest ends the notification through the conductor
    TENANT
        .as()
        .body("{\"databases\": [{\"name\": \"extra\"}]}")
        .post(TENANT.path("instances/" + id + "/databases"))
        .then()
        .statusCode(202);
    JsonNode dbEnd = one("dbaas.database_create.end", id);
    assertThat(dbEnd.path("publisher_id").asText()).isEqualTo("conductor.coffer-test");
    assertThat(dbEnd.path("payload").path("server_type").asText()).isEqualTo("guest");
    assertThat(dbEnd.path("payload").path("dbname").asText()).isEqualTo("extra");
    JsonNode dbStart = one("dbaas.database_create.start", id);
    assertThat(dbEnd.path("payload").path("request_id").asText())
        .isEqualTo(dbStart.path("payload").path("request_id").asText());
    assertThat(position(dbEnd)).isGreaterThan(position(dbStart));

    // work the guest cannot do (a grant on a database that does not exist): error, no end
    TENANT
        .as()
        .body(
            "{\"users\": [{\"name\": \"ghost\", \"password\": \""
                + PASSWORD
                + "\", \"databases\": [{\"name\": \"nosuchdb\"}]}]}")
        .post(TENANT.path("instances/" + id + "/users"))
        .then()
        .statusCode(202);
    JsonNode userError = one("dbaas.user_create.error", id);
    assertThat(userError.path("publisher_id").asText()).isEqualTo("conductor.coffer-test");
    assertThat(userError.path("payload").path("username").asText()).isEqualTo("ghost");
    assertThat(userError.path("payload").path("message").asText()).isNotBlank();
    assertThat(userError.toString()).doesNotContain(PASSWORD);
    assertThat(events("dbaas.user_create.end", id)).isEmpty();

    // a backup: its end when the guest reports it COMPLETED, with the backup's id
    String backup =
        TENANT
            .as()
            .body("{\"backup\": {\"name\": \"notified-backup\", \"instance\": \"" + id + "\"}}")
            .post(TENANT.path("backups"))
            .then()
            .statusCode(202)
            .extract()
            .path("backup.id");
    TENANT.awaitBackup(backup, "COMPLETED", READY);
    JsonNode backupEnd = one("dbaas.backup_create.end", id);
    assertThat(backupEnd.path("payload").path("backup_id").asText()).isEqualTo(backup);
    assertThat(backupEnd.path("payload").path("name").asText()).isEqualTo("notified-backup");
    assertThat(position(backupEnd)).isGreaterThan(position(one("dbaas.backup_create.start", id)));
    TENANT.as().delete(TENANT.path("backups/" + backup)).then().statusCode(202);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> !where("dbaas.backup_delete.end", "backup_id", backup).isEmpty());
    assertThat(
            where("dbaas.backup_delete.end", "backup_id", backup)
                .get(0)
                .path("publisher_id")
                .asText())
        .isEqualTo("taskmanager.coffer-test");

    // a configuration group (of the suite's MariaDB version, which has parameter rules): done by
    // the API, ended by it, with the group's id
    String group =
        TENANT
            .as()
            .body(
                "{\"configuration\": {\"name\": \"notified-group\", \"datastore\": {\"type\":"
                    + " \"mariadb\", \"version\": \"10.11\"}, \"values\": {\"max_connections\": 50}}}")
            .post(TENANT.path("configurations"))
            .then()
            .statusCode(200)
            .extract()
            .path("configuration.id");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> !where("dbaas.configuration_create.end", "configuration_id", group).isEmpty());
    JsonNode groupEnd = where("dbaas.configuration_create.end", "configuration_id", group).get(0);
    assertThat(groupEnd.path("publisher_id").asText()).isEqualTo("api.coffer-test");
    assertThat(groupEnd.path("payload").path("datastore").asText()).isEqualTo("mariadb");
    TENANT.as().delete(TENANT.path("configurations/" + group)).then().statusCode(202);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> !where("dbaas.configuration_delete.end", "configuration_id", group).isEmpty());

    TENANT.as().delete(TENANT.path("instances/" + id)).then().statusCode(202);
    TENANT.awaitDeleted(id, READY);
  }

  @Test
  void quotaUsageIsReportedPeriodically() throws Exception {
    String id = TENANT.createShop("notified-quota", 1, PASSWORD, null);
    long used =
        ((Number)
                io.coffer.testing.Db.value(
                    "SELECT in_use FROM quota_usages WHERE tenant_id = ? AND resource = ?",
                    TENANT.project,
                    "instances"))
            .longValue();
    // a report written after the create counts it
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                where("dbaas.quota", "tenant_id", TENANT.project).stream()
                    .anyMatch(
                        n ->
                            n.path("payload").path("resource").asText().equals("instances")
                                && n.path("payload").path("in_use").asLong() == used));
    JsonNode quota =
        where("dbaas.quota", "tenant_id", TENANT.project).stream()
            .filter(n -> n.path("payload").path("resource").asText().equals("instances"))
            .reduce((a, b) -> b)
            .orElseThrow();
    assertThat(quota.path("publisher_id").asText()).isEqualTo("api.coffer-test");
    assertThat(quota.path("payload").path("limit").isInt()).isTrue();
    assertThat(quota.path("payload").has("reserved")).isTrue();
    assertThat(quota.path("payload").path("updated").asText()).matches("\\d{4}-.*T.*");
    TENANT.as().delete(TENANT.path("instances/" + id)).then().statusCode(202);
    TENANT.awaitDeleted(id, READY);
  }

  @Test
  void aCreateAskedForDuringABrokerOutageIsReportedOnce() throws Exception {
    // the API keeps the task while the broker is away; the relay reconnects when it returns
    String id;
    Broker.stopApp();
    try {
      id = TENANT.createShop("notified-restart", 1, PASSWORD, null);
      Thread.sleep(3000);
    } finally {
      Broker.startApp();
    }
    TENANT.await(id, "ACTIVE", READY);
    one("trove.instance.create", id);
    Thread.sleep(3000);
    assertThat(events("trove.instance.create", id)).hasSize(1);
    TENANT.as().delete(TENANT.path("instances/" + id)).then().statusCode(202);
    TENANT.awaitDeleted(id, READY);
    one("trove.instance.delete", id);
  }
}
