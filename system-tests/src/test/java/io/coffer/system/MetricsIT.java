package io.coffer.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Scrapes {@code /q/metrics} of the running api, taskmanager and conductor after real work (an
 * instance built, a guest call answered, a guest call timed out on a killed guest) and finds the
 * metrics operators alert on, with values that follow what happened.
 */
class MetricsIT {

  private static final Tenant TENANT = new Tenant();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final int TASKMANAGER_PORT = 28781;
  private static final int CONDUCTOR_PORT = 28782;
  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)$");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_]+)=\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static String id;

  /** One sample of the Prometheus text format. */
  record Sample(String name, Map<String, String> labels, double value) {}

  static List<Sample> scrape(int port) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/metrics")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("metrics of port %d", port).isEqualTo(200);
    List<Sample> samples = new ArrayList<>();
    for (String line : r.body().split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Matcher m = SAMPLE.matcher(line.trim());
      assertThat(m.matches()).as("a sample line: %s", line).isTrue();
      Map<String, String> labels = new LinkedHashMap<>();
      if (m.group(2) != null) {
        Matcher l = LABEL.matcher(m.group(2));
        while (l.find()) {
          labels.put(l.group(1), l.group(2));
        }
      }
      samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(3))));
    }
    return samples;
  }

  /** Sum of the samples named {@code name} whose labels include {@code match}. */
  static double sum(List<Sample> samples, String name, Map<String, String> match) {
    return samples.stream()
        .filter(s -> s.name().equals(name))
        .filter(s -> s.labels().entrySet().containsAll(match.entrySet()))
        .mapToDouble(Sample::value)
        .sum();
  }

  static boolean has(List<Sample> samples, String name) {
    return samples.stream().anyMatch(s -> s.name().equals(name));
  }

  @AfterAll
  static void cleanUp() {
    if (id != null) {
      TENANT.as().delete(TENANT.path("instances/" + id));
    }
  }

  @Test
  void eachServiceExportsTheMetricsOperatorsWatch() throws Exception {
    Suite.start();
    double builtBefore =
        sum(
            scrape(TASKMANAGER_PORT),
            "coffer_tasks_seconds_count",
            Map.of("task", "building", "outcome", "completed"));
    id =
        TENANT
            .as()
            .body(
                "{\"instance\": {\"name\": \"metered\", \"flavorRef\": \"1\","
                    + " \"volume\": {\"size\": 1},"
                    + " \"datastore\": {\"type\": \"postgresql\", \"version\": \"15\"}}}")
            .post(TENANT.path("instances"))
            .then()
            .statusCode(200)
            .extract()
            .path("instance.id");
    TENANT.await(id, "ACTIVE", Duration.ofSeconds(90));
    TENANT.as().get(TENANT.path("instances/" + id + "/databases")).then().statusCode(200);

    // api: instances by status and datastore, silent guests, guest call latency by outcome
    List<Sample> api = scrape(Suite.API_PORT);
    assertThat(sum(api, "coffer_instances", Map.of("status", "ACTIVE", "datastore", "postgresql")))
        .isGreaterThanOrEqualTo(1);
    assertThat(has(api, "coffer_instances_silent")).isTrue();
    assertThat(
            sum(
                api,
                "coffer_bus_calls_seconds_count",
                Map.of("topic", "guestagent", "method", "list_databases", "outcome", "ok")))
        .isGreaterThanOrEqualTo(1);
    assertThat(has(api, "coffer_bus_dead_letter_depth")).isTrue();

    // taskmanager: the create task handled and the build ended, with durations
    List<Sample> tm = scrape(TASKMANAGER_PORT);
    assertThat(
            sum(
                tm,
                "coffer_bus_messages_consumed_total",
                Map.of("method", "create_instance", "outcome", "ok")))
        .isGreaterThanOrEqualTo(1);
    assertThat(sum(tm, "coffer_bus_handler_seconds_count", Map.of("method", "create_instance")))
        .isGreaterThanOrEqualTo(1);
    assertThat(
            sum(
                tm,
                "coffer_tasks_seconds_count",
                Map.of("task", "building", "outcome", "completed")))
        .isGreaterThan(builtBefore);
    assertThat(
            sum(tm, "coffer_tasks_seconds_sum", Map.of("task", "building", "outcome", "completed")))
        .isPositive();
    assertThat(has(tm, "coffer_bus_dead_letter_depth")).isTrue();

    // conductor: heartbeats consumed, their lag as a histogram, silent guests
    List<Sample> conductor = scrape(CONDUCTOR_PORT);
    assertThat(
            sum(
                conductor,
                "coffer_bus_messages_consumed_total",
                Map.of("method", "heartbeat", "outcome", "done")))
        .isGreaterThanOrEqualTo(1);
    assertThat(sum(conductor, "coffer_conductor_lag_seconds_count", Map.of()))
        .isGreaterThanOrEqualTo(1);
    assertThat(has(conductor, "coffer_conductor_lag_seconds_bucket")).isTrue();
    assertThat(has(conductor, "coffer_conductor_silent_guests")).isTrue();
    assertThat(has(conductor, "coffer_bus_dead_letter_depth")).isTrue();

    // a guest that stops answering: the api's call times out, and both counts of silent
    // guests rise once its heartbeat expires
    double silentBefore = sum(api, "coffer_instances_silent", Map.of());
    double conductorSilentBefore = sum(conductor, "coffer_conductor_silent_guests", Map.of());
    Suite.killGuest(id);
    TENANT
        .as()
        .get(TENANT.path("instances/" + id + "/databases"))
        .then()
        .statusCode(400)
        .body(
            "badRequest.message",
            org.hamcrest.Matchers.containsString("communicating with the guest"));
    assertThat(
            sum(
                scrape(Suite.API_PORT),
                "coffer_bus_calls_seconds_count",
                Map.of("topic", "guestagent", "method", "list_databases", "outcome", "timeout")))
        .isGreaterThanOrEqualTo(1);
    await()
        .atMost(Suite.HEARTBEAT_EXPIRY.plusSeconds(30))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              assertThat(sum(scrape(Suite.API_PORT), "coffer_instances_silent", Map.of()))
                  .isGreaterThan(silentBefore);
              assertThat(sum(scrape(CONDUCTOR_PORT), "coffer_conductor_silent_guests", Map.of()))
                  .isGreaterThan(conductorSilentBefore);
            });

    // the Grafana dashboard queries only metrics the services really export
    Set<String> exported = new TreeSet<>();
    for (int port : new int[] {Suite.API_PORT, TASKMANAGER_PORT, CONDUCTOR_PORT}) {
      scrape(port).forEach(sample -> exported.add(sample.name()));
    }
    JsonNode dashboard =
        new ObjectMapper().readTree(Path.of("..", "deploy", "grafana", "coffer.json").toFile());
    Set<String> queried = new TreeSet<>();
    Pattern metric = Pattern.compile("\\b(coffer_\\w+|http_server_\\w+|jvm_\\w+)");
    for (JsonNode panel : dashboard.path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        Matcher m = metric.matcher(target.path("expr").asText());
        while (m.find()) {
          queried.add(m.group(1));
        }
      }
    }
    assertThat(queried).hasSizeGreaterThan(10);
    assertThat(exported).containsAll(queried);
  }
}
