package io.coffer.taskmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.coffer.bus.Topology;
import io.coffer.model.rpc.RequestContext;
import io.coffer.taskmanager.messaging.GuestClient;
import io.coffer.testing.ServiceProcess;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The taskmanager calls a real guest agent process over the real broker. */
@QuarkusTest
class GuestPingTest {

  @Inject GuestClient guests;
  @Inject Topology topology;

  @Test
  void aRunningGuestAgentAnswersRpcPing() {
    String instance = UUID.randomUUID().toString();
    // as for prepare, the taskmanager creates the guest's queue before the guest starts
    topology.declareGuestQueue(instance);
    try (ServiceProcess guest =
        ServiceProcess.start(
            "guestagent",
            Map.of(
                "coffer.guest.instance-id", instance,
                "coffer.guest.heartbeat-interval", "60s",
                "quarkus.http.port", "0"))) {
      guest.awaitLog("consuming guestagent." + instance, Duration.ofSeconds(30));
      long start = System.nanoTime();
      assertThat(guests.ping(RequestContext.service(), instance)).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    } finally {
      topology.deleteGuestQueue(instance);
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> topology.depth("guestagent." + instance) < 0);
  }
}
