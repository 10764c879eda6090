package io.coffer.taskmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.coffer.bus.BusClient;
import io.coffer.bus.BusConsumers;
import io.coffer.bus.RpcTimeoutException;
import io.coffer.bus.Topology;
import io.coffer.bus.UnroutableException;
import io.coffer.model.routing.Topics;
import io.coffer.model.rpc.RequestContext;
import io.coffer.model.status.InstanceTask;
import io.coffer.model.taskmanager.ClusterArgs;
import io.coffer.model.taskmanager.TaskManagerMethods;
import io.coffer.taskmanager.messaging.GuestClient;
import io.coffer.testing.Db;
import io.coffer.testing.Fixtures;
import io.coffer.testing.Projects;
import io.coffer.testing.RabbitProbe;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The bus runtime as the taskmanager uses it, against the real broker. */
@QuarkusTest
class BusTest {

  @Inject BusClient bus;
  @Inject GuestClient guests;
  @Inject Topology topology;
  @Inject FlakyTestHandler flaky;

  @Test
  void aCallWithoutAnswerTimesOutAtItsDeadlineAndLeavesNothingBehind() {
    String instance = UUID.randomUUID().toString();
    topology.declareGuestQueue(instance);
    try {
      long start = System.nanoTime();
      assertThatThrownBy(() -> guests.ping(RequestContext.service(), instance))
          .isInstanceOf(RpcTimeoutException.class)
          .hasMessageContaining("rpc_ping")
          .hasMessageContaining(Topics.guest(instance));
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(took).isBetween(Duration.ofSeconds(3), Duration.ofSeconds(8));
      assertThat(bus.pendingCalls()).isZero();
      // the request carried the deadline as its TTL, so the broker drops it too
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> topology.depth(Topics.guest(instance)) == 0);
    } finally {
      topology.deleteGuestQueue(instance);
    }
  }

  @Test
  void aCallToAGuestWithoutQueueFailsAtOnce() {
    long start = System.nanoTime();
    assertThatThrownBy(() -> guests.ping(RequestContext.service(), UUID.randomUUID().toString()))
        .isInstanceOf(UnroutableException.class);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    assertThat(bus.pendingCalls()).isZero();
  }

  @Test
  void aFailingTaskIsRetriedThenSucceeds() {
    String key = UUID.randomUUID().toString();
    bus.cast(
        Topics.TASKMANAGER,
        FlakyTestHandler.METHOD,
        RequestContext.service(),
        new FlakyTestHandler.Args(key, 2));
    await().atMost(Duration.ofSeconds(20)).until(() -> flaky.attempts(key) == 3);
  }

  @Test
  void anAbandonedTaskEndsItsInstancesTaskInErrorWithAFault() {
    String id =
        Fixtures.instance(Projects.fresh())
            .task(InstanceTask.REBOOTING.code(), InstanceTask.REBOOTING.dbText())
            .insert();
    Db.update("UPDATE instances SET task_deadline = now() + interval '1 hour' WHERE id = ?", id);
    bus.cast(
        Topics.TASKMANAGER,
        FlakyTestHandler.METHOD,
        RequestContext.service(),
        new FlakyTestHandler.Args(UUID.randomUUID().toString(), 100, id));
    // long before the deadline: the fifth failure ends the task
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(Db.value("SELECT task_id FROM instances WHERE id = ?", id))
                    .isEqualTo(InstanceTask.REBOOTING_ERROR.code()));
    assertThat((String) Db.value("SELECT message FROM instance_faults WHERE instance_id = ?", id))
        .contains("coffer_test_flaky task was abandoned")
        .contains("failed after 5 attempt(s)");
  }

  @Test
  void aTaskThatKeepsFailingIsDeadLetteredAndTheConsumerGoesOn() {
    String doomed = UUID.randomUUID().toString();
    String fine = UUID.randomUUID().toString();
    try (RabbitProbe deadLetters = RabbitProbe.drain(Topics.DEAD_LETTER)) {
      bus.cast(
          Topics.TASKMANAGER,
          FlakyTestHandler.METHOD,
          RequestContext.service(),
          new FlakyTestHandler.Args(doomed, 100));
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(deadLetters.received())
                      .anySatisfy(
                          d -> {
                            assertThat(new String(d.body(), StandardCharsets.UTF_8))
                                .contains(doomed);
                            assertThat(
                                    d.properties()
                                        .getHeaders()
                                        .get(BusConsumers.REASON_HEADER)
                                        .toString())
                                .contains("failed after 5 attempt(s)")
                                .contains("planned failure 5");
                          }));
      assertThat(flaky.attempts(doomed)).isEqualTo(5);

      bus.cast(
          Topics.TASKMANAGER,
          FlakyTestHandler.METHOD,
          RequestContext.service(),
          new FlakyTestHandler.Args(fine, 0));
      await().atMost(Duration.ofSeconds(10)).until(() -> flaky.attempts(fine) == 1);
    }
  }

  @Test
  void undecodableAndUnhandledTasksAreDeadLettered() {
    String marker = UUID.randomUUID().toString();
    try (RabbitProbe deadLetters = RabbitProbe.drain(Topics.DEAD_LETTER);
        RabbitProbe probe = RabbitProbe.open()) {
      probe.publish(Topics.TASKMANAGER, ("{broken " + marker).getBytes(StandardCharsets.UTF_8));
      probe.publish(
          Topics.TASKMANAGER,
          ("{\"method\": \"no_such_task\", \"args\": {\"marker\": \"" + marker + "\"}}")
              .getBytes(StandardCharsets.UTF_8));
      bus.cast(
          Topics.TASKMANAGER,
          TaskManagerMethods.CREATE_CLUSTER,
          RequestContext.service(),
          new ClusterArgs(marker));
      await()
          .atMost(Duration.ofSeconds(15))
          .untilAsserted(
              () ->
                  assertThat(
                          deadLetters.received().stream()
                              .filter(
                                  d ->
                                      new String(d.body(), StandardCharsets.UTF_8).contains(marker))
                              .map(
                                  d ->
                                      d.properties()
                                          .getHeaders()
                                          .get(BusConsumers.REASON_HEADER)
                                          .toString()))
                      .hasSize(3)
                      .anyMatch(r -> r.startsWith("undecodable"))
                      .anyMatch(
                          r -> r.contains("method no_such_task is not handled on taskmanager"))
                      .anyMatch(r -> r.contains("create_cluster is not supported by Coffer")));
    }
  }
}
