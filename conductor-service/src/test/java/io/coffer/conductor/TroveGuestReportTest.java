package io.coffer.conductor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.coffer.model.routing.Topics;
import io.coffer.model.secure.TroveCipher;
import io.coffer.testing.Db;
import io.coffer.testing.Fixtures;
import io.coffer.testing.Projects;
import io.coffer.testing.RabbitProbe;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With Trove compatibility on, a Trove guest of an instance imported with Trove's key (stored in
 * Trove's format) reports in Trove's secure-RPC scheme, and the conductor records it.
 */
@QuarkusTest
class TroveGuestReportTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A heartbeat as a Trove 18 guest encrypts it (TROVE-SPEC 4.2). */
  private static byte[] troveHeartbeat(String id, String k, String status, double sent)
      throws Exception {
    ObjectNode inner = JSON.createObjectNode();
    inner.put("method", "heartbeat");
    inner.put("version", "1.0");
    inner.put("_unique_id", "ce3b1f4d2e294e389bde30fe70307e58");
    ObjectNode args = inner.putObject("args");
    Map<String, Object> plain =
        Map.of("instance_id", id, "payload", Map.of("service_status", status), "sent", sent);
    for (var e : plain.entrySet()) {
      ObjectNode wrapped = JSON.createObjectNode();
      wrapped.put("entity", TroveCipher.encrypt(k, JSON.writeValueAsBytes(e.getValue())));
      wrapped.put("csz-instance-id", id);
      args.put(e.getKey(), JSON.writeValueAsString(wrapped));
    }
    inner.put(
        "_context_context",
        TroveCipher.encrypt(k, JSON.writeValueAsBytes(Map.of("roles", List.of()))));
    inner.put("_context_csz-instance-id", id);
    ObjectNode outer = JSON.createObjectNode();
    outer.put("oslo.version", "2.0");
    outer.put("oslo.message", JSON.writeValueAsString(inner));
    return JSON.writeValueAsBytes(outer);
  }

  @Test
  void aTroveGuestsEncryptedHeartbeatIsRecorded() throws Exception {
    String id = Fixtures.instance(Projects.fresh()).building().insert();
    String k = "Zq3xY7wE0rT5uI9oP2aS4dF6gH8jK1lM";
    // the instance row as Trove stores it: the key encrypted with inst_rpc_key_encr_key
    Db.update(
        "UPDATE instances SET encrypted_key = ? WHERE id = ?",
        TroveCipher.encrypt("coffer-test-trove-kek", k.getBytes(StandardCharsets.UTF_8)),
        id);
    double sent = System.currentTimeMillis() / 1000.0;
    try (RabbitProbe bus = RabbitProbe.open()) {
      bus.publish(Topics.CONDUCTOR, troveHeartbeat(id, k, "running", sent));
    }
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () ->
                assertThat(
                        Db.value(
                            "SELECT status_description FROM service_statuses WHERE instance_id = ?",
                            id))
                    .isEqualTo("running"));
  }
}
