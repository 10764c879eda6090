package io.coffer.conductor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.coffer.testing.Db;
import io.coffer.testing.Fixtures;
import io.coffer.testing.Projects;
import io.coffer.testing.ServiceProcess;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A real guest agent process reports to this conductor through the real broker. */
@QuarkusTest
class GuestProcessHeartbeatTest {

  @Test
  void heartbeatsOfARunningGuestAgentArePersisted() {
    String id = Fixtures.instance(Projects.fresh()).building().insert();
    try (ServiceProcess guest =
        ServiceProcess.start(
            "guestagent",
            Map.of(
                "coffer.guest.instance-id", id,
                "coffer.guest.heartbeat-interval", "1s",
                "quarkus.http.port", "0"))) {
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                assertThat(
                        Db.value(
                            "SELECT count(*) FROM conductor_lastseen WHERE instance_id = ?", id))
                    .isEqualTo(1L);
                assertThat(
                        Db.value(
                            "SELECT updated_at FROM service_statuses WHERE instance_id = ?", id))
                    .isNotNull();
              });
      double first =
          (Double) Db.value("SELECT sent FROM conductor_lastseen WHERE instance_id = ?", id);
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(
                          (Double)
                              Db.value(
                                  "SELECT sent FROM conductor_lastseen WHERE instance_id = ?", id))
                      .isGreaterThan(first));
      assertThat(guest.log()).doesNotContain("ERROR");
    }
  }
}
