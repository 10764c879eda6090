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

    // nothing twice
    Thread.sleep(2000);
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
