package io.coffer.conductor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.coffer.model.conductor.ConductorMethods;
import io.coffer.model.conductor.HeartbeatArgs;
import io.coffer.model.conductor.HeartbeatPayload;
import io.coffer.model.routing.Topics;
import io.coffer.model.rpc.MessageCodec;
import io.coffer.model.rpc.RequestContext;
import io.coffer.testing.Broker;
import io.coffer.testing.Db;
import io.coffer.testing.Fixtures;
import io.coffer.testing.Projects;
import io.coffer.testing.RabbitProbe;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The conductor consumes again after RabbitMQ restarts, without being restarted itself. */
@QuarkusTest
class BrokerRestartTest {

  @Test
  void theConductorRecoversAfterTheBrokerRestarts() {
    String id = Fixtures.instance(Projects.fresh()).building().insert();
    MessageCodec codec = new MessageCodec();

    Broker.restart();

    double sent = System.currentTimeMillis() / 1000.0;
    byte[] body =
        codec.encode(
            codec.cast(
                ConductorMethods.HEARTBEAT,
                RequestContext.empty(),
                new HeartbeatArgs(id, new HeartbeatPayload("healthy"), sent)));
    try (RabbitProbe bus = RabbitProbe.open()) {
      bus.publish(Topics.CONDUCTOR, body);
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(
                        Db.value(
                            "SELECT status_description FROM service_statuses WHERE instance_id = ?",
                            id))
                    .isEqualTo("healthy"));
  }
}
