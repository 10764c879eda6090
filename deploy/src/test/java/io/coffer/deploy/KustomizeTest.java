package io.coffer.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.coffer.testing.ServiceProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Renders every Kustomize overlay with {@code kubectl kustomize} and checks each object: labels,
 * probes, resources, images, no secret values, and the API Service selecting the API pods.
 */
class KustomizeTest {

  private static final Path OVERLAYS =
      ServiceProcess.repositoryRoot().resolve("deploy/kubernetes/overlays");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern SECRET_NAME =
      Pattern.compile("(?i).*(password|passwd|secret|token|credential|private[_-]?key).*");
  private static final List<String> LABELS =
      List.of(
          "app.kubernetes.io/name",
          "app.kubernetes.io/component",
          "app.kubernetes.io/part-of",
          "app.kubernetes.io/managed-by",
          "app.kubernetes.io/instance");

  private static List<JsonNode> render(String overlay) throws Exception {
    Process p =
        new ProcessBuilder("kubectl", "kustomize", OVERLAYS.resolve(overlay).toString())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("kubectl kustomize %s", overlay).isZero();
    List<JsonNode> docs = new ArrayList<>();
    try (YAMLParser parser = new YAMLFactory().createParser(out)) {
      Iterator<JsonNode> it = YAML.readValues(parser, JsonNode.class);
      while (it.hasNext()) {
        JsonNode n = it.next();
        if (n != null && !n.isEmpty()) {
          docs.add(n);
        }
      }
    }
    return docs;
  }

  private static String kind(JsonNode o) {
    return o.path("kind").asText();
  }

  private static String name(JsonNode o) {
    return kind(o) + "/" + o.path("metadata").path("name").asText();
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod", "openstack"})
  void everyObjectIsLabelledAndInTheOverlaysNamespace(String overlay) throws Exception {
    List<JsonNode> objects = render(overlay);
    String namespace = overlay.equals("dev") ? "coffer-dev" : "coffer";
    assertThat(objects).isNotEmpty();
    for (JsonNode o : objects) {
      JsonNode labels = o.path("metadata").path("labels");
      for (String label : LABELS) {
        assertThat(labels.path(label).asText()).as("%s label %s", name(o), label).isNotBlank();
      }
      assertThat(labels.path("app.kubernetes.io/part-of").asText()).isEqualTo("coffer");
      assertThat(o.path("metadata").path("namespace").asText()).as(name(o)).isEqualTo(namespace);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod", "openstack"})
  void workloadsHaveImagesProbesAndResources(String overlay) throws Exception {
    List<String> coffer = new ArrayList<>();
    for (JsonNode o : render(overlay)) {
      if (!kind(o).equals("Deployment") && !kind(o).equals("StatefulSet")) {
        continue;
      }
      coffer.add(o.path("metadata").path("name").asText());
      JsonNode template = o.path("spec").path("template");
      // the pods carry the selector's labels
      o.path("spec")
          .path("selector")
          .path("matchLabels")
          .fields()
          .forEachRemaining(
              e ->
                  assertThat(template.path("metadata").path("labels").path(e.getKey()).asText())
                      .as("%s pod label %s", name(o), e.getKey())
                      .isEqualTo(e.getValue().asText()));
      for (JsonNode c : template.path("spec").path("containers")) {
        String where = name(o) + " container " + c.path("name").asText();
        String image = c.path("image").asText();
        assertThat(image).as(where + " image").contains(":").doesNotEndWith(":latest");
        assertThat(c.path("readinessProbe").isMissingNode()).as(where + " readiness").isFalse();
        assertThat(c.path("livenessProbe").isMissingNode()).as(where + " liveness").isFalse();
        for (String kind : List.of("requests", "limits")) {
          JsonNode r = c.path("resources").path(kind);
          assertThat(r.path("cpu").asText()).as(where + " " + kind + " cpu").isNotBlank();
          assertThat(r.path("memory").asText()).as(where + " " + kind + " memory").isNotBlank();
        }
        if (image.contains("coffer-")) {
          assertThat(c.path("readinessProbe").path("httpGet").path("path").asText())
              .isEqualTo("/q/health/ready");
          assertThat(c.path("livenessProbe").path("httpGet").path("path").asText())
              .isEqualTo("/q/health/live");
          assertThat(image).startsWith("ghcr.io/coffer-dbaas/coffer-").endsWith(":0.1.0");
          // Prometheus finds the metrics on the container's own port
          JsonNode annotations = template.path("metadata").path("annotations");
          assertThat(annotations.path("prometheus.io/scrape").asText()).isEqualTo("true");
          assertThat(annotations.path("prometheus.io/path").asText()).isEqualTo("/q/metrics");
          assertThat(annotations.path("prometheus.io/port").asText())
              .as(where + " scrape port")
              .isEqualTo(c.path("ports").path(0).path("containerPort").asText());
        }
      }
    }
    assertThat(coffer).contains("coffer-api", "coffer-taskmanager", "coffer-conductor");
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod", "openstack"})
  void secretsOnlyComeFromSecretReferences(String overlay) throws Exception {
    for (JsonNode o : render(overlay)) {
      assertThat(kind(o)).as("no Secret object is committed").isNotEqualTo("Secret");
      if (kind(o).equals("ConfigMap")) {
        // a secret-sounding key may only name a file (a mounted Secret), never hold the value
        o.path("data")
            .fields()
            .forEachRemaining(
                e -> {
                  if (SECRET_NAME.matcher(e.getKey()).matches()) {
                    assertThat(e.getKey()).as(name(o)).endsWith("_FILE");
                    assertThat(e.getValue().asText())
                        .as(name(o) + " " + e.getKey())
                        .startsWith("/");
                  }
                });
      }
      for (JsonNode c : o.path("spec").path("template").path("spec").path("containers")) {
        for (JsonNode env : c.path("env")) {
          String var = env.path("name").asText();
          if (SECRET_NAME.matcher(var).matches()) {
            assertThat(env.has("value")).as(name(o) + " " + var + " has a literal value").isFalse();
            assertThat(env.path("valueFrom").path("secretKeyRef").path("name").asText())
                .as(name(o) + " " + var)
                .isNotBlank();
          }
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod", "openstack"})
  void theApiServiceSelectsTheApiPodsAndEveryDeploymentHasADisruptionBudget(String overlay)
      throws Exception {
    List<JsonNode> objects = render(overlay);
    JsonNode service = find(objects, "Service", "coffer-api");
    JsonNode api = find(objects, "Deployment", "coffer-api");
    ObjectNode selector = (ObjectNode) service.path("spec").path("selector");
    assertThat(selector.size()).isPositive();
    for (Iterator<Map.Entry<String, JsonNode>> it = selector.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      assertThat(api.path("spec").path("template").path("metadata").path("labels").path(e.getKey()))
          .as("api pods carry the Service's selector label " + e.getKey())
          .isEqualTo(e.getValue());
    }
    assertThat(service.path("spec").path("ports").get(0).path("port").asInt()).isEqualTo(8779);
    for (JsonNode d : objects) {
      if (!kind(d).equals("Deployment")) {
        continue;
      }
      JsonNode pdb = find(objects, "PodDisruptionBudget", d.path("metadata").path("name").asText());
      assertThat(pdb.path("spec").path("selector").path("matchLabels"))
          .isEqualTo(d.path("spec").path("selector").path("matchLabels"));
    }
  }

  @Test
  void productionScalesTheApiAndConductorsAndKeepsOneTaskmanagerOnAVolume() throws Exception {
    List<JsonNode> objects = render("prod");
    for (String name : List.of("coffer-api", "coffer-conductor")) {
      JsonNode spec = find(objects, "Deployment", name).path("spec");
      assertThat(spec.path("replicas").asInt()).as(name).isGreaterThan(1);
      assertThat(spec.path("strategy").path("rollingUpdate").path("maxUnavailable").asInt())
          .as(name + " never rolls below its replicas")
          .isZero();
    }
    // the local compute driver's instances live in the taskmanager's pod and volume
    JsonNode tm = find(objects, "Deployment", "coffer-taskmanager").path("spec");
    assertThat(tm.path("replicas").asInt()).isEqualTo(1);
    assertThat(tm.path("strategy").path("type").asText()).isEqualTo("Recreate");
    JsonNode volume = tm.path("template").path("spec").path("volumes").get(0);
    assertThat(volume.has("emptyDir")).isFalse();
    String claim = volume.path("persistentVolumeClaim").path("claimName").asText();
    assertThat(
            find(objects, "PersistentVolumeClaim", claim)
                .path("metadata")
                .path("namespace")
                .asText())
        .isEqualTo("coffer");
  }

  private static JsonNode find(List<JsonNode> objects, String kind, String name) {
    return objects.stream()
        .filter(o -> kind(o).equals(kind) && o.path("metadata").path("name").asText().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + "/" + name));
  }

  @Test
  void onOpenStackTheTaskmanagersRunTheOpenstackProfileWithTheAccountFromASecretAndNoVolume()
      throws Exception {
    List<JsonNode> objects = render("openstack");
    JsonNode tm = find(objects, "Deployment", "coffer-taskmanager");
    assertThat(tm.path("spec").path("replicas").asInt()).isGreaterThan(1);
    assertThat(tm.path("spec").path("strategy").path("type").asText()).isEqualTo("RollingUpdate");
    Map<String, JsonNode> env = new java.util.HashMap<>();
    JsonNode pod = tm.path("spec").path("template").path("spec");
    pod.path("containers").get(0).path("env").forEach(e -> env.put(e.path("name").asText(), e));
    assertThat(env.get("QUARKUS_PROFILE").path("value").asText()).isEqualTo("openstack");
    assertThat(env.get("OS_PASSWORD").path("valueFrom").path("secretKeyRef").path("name").asText())
        .isEqualTo("coffer-openstack");
    pod.path("volumes")
        .forEach(v -> assertThat(v.has("persistentVolumeClaim")).as(v.toString()).isFalse());
    assertThat(objects).noneMatch(o -> kind(o).equals("PersistentVolumeClaim"));
    JsonNode config =
        objects.stream()
            .filter(o -> kind(o).equals("ConfigMap"))
            .filter(o -> o.path("metadata").path("name").asText().startsWith("coffer-config"))
            .findFirst()
            .orElseThrow();
    for (String key :
        List.of("OS_AUTH_URL", "OS_USERNAME", "OS_PROJECT_NAME", "COFFER_OPENSTACK_NETWORK")) {
      assertThat(config.path("data").path(key).asText()).as(key).isNotBlank();
    }
  }
}
