package io.coffer.system;

import static io.coffer.system.ConductorFleet.STATUSES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.coffer.testing.Projects;
import io.coffer.testing.ServiceProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Conductors as real processes on their own conductor topics: several consuming one queue at once,
 * and one killed in the middle of its work.
 */
class ConductorIT {

  private static double past() {
    return System.currentTimeMillis() / 1000.0 - 3600;
  }

  @Test
  void twoConductorsConsumingTogetherKeepTheNewestReportOfEveryInstance() {
    String topic = "conductor-it-pair";
    String project = Projects.fresh();
    int guests = 200;
    int rounds = 50;
    List<String> ids = ConductorFleet.instances(project, guests);
    double base = past();
    List<byte[]> reports = new ArrayList<>();
    for (String id : ids) {
      for (int r = 0; r < rounds; r++) {
        reports.add(ConductorFleet.heartbeat(id, STATUSES[r % 3], base + r));
      }
    }
    // interleaved and out of order
    Collections.shuffle(reports, new Random(7));

    try (ServiceProcess first = ConductorFleet.conductor(28783, topic, 200, 2);
        ServiceProcess second = ConductorFleet.conductor(28784, topic, 200, 2);
        ConductorFleet.Guests bus = new ConductorFleet.Guests(topic)) {
      bus.purge();
      reports.forEach(bus::publish);
      bus.confirm();

      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .untilAsserted(
              () ->
                  assertThat(ConductorFleet.stored(project).values())
                      .allMatch(s -> s.sent() != null && s.sent() == base + rounds - 1));
      ConductorFleet.stored(project)
          .forEach(
              (id, s) ->
                  assertThat(s.status())
                      .as(id)
                      .isEqualTo(STATUSES[(rounds - 1) % 3].description()));
      // both conductors did part of the work
      double a = ConductorFleet.reports(ConductorFleet.metrics(28783), "accepted");
      double b = ConductorFleet.reports(ConductorFleet.metrics(28784), "accepted");
      assertThat(a).isPositive();
      assertThat(b).isPositive();
      double all = 0;
      for (int port : new int[] {28783, 28784}) {
        Map<String, Double> m = ConductorFleet.metrics(port);
        all += ConductorFleet.reports(m, "accepted") + ConductorFleet.reports(m, "stale");
      }
      assertThat(all).isEqualTo(reports.size());
    } finally {
      ConductorFleet.remove(project);
    }
  }

  @Test
  void aConductorKilledMidStreamLosesNothingItAcknowledgedAndAppliesTheRestOnce() {
    String topic = "conductor-it-kill";
    String project = Projects.fresh();
    int guests = 300;
    int rounds = 200;
    List<String> ids = ConductorFleet.instances(project, guests);
    double base = past();
    int total = guests * rounds;

    try (ConductorFleet.Guests bus = new ConductorFleet.Guests(topic)) {
      // the first start declares the queue; the reports then wait in it
      ConductorFleet.conductor(28785, topic, 200, 1).close();
      bus.purge();
      for (int r = 0; r < rounds; r++) {
        for (String id : ids) {
          bus.publish(ConductorFleet.heartbeat(id, STATUSES[r % 3], base + r));
        }
      }
      bus.confirm();
      assertThat(bus.ready()).isEqualTo(total);

      ServiceProcess victim = ConductorFleet.conductor(28785, topic, 200, 1);
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(2))
          .until(() -> ConductorFleet.reporting(project) >= guests);
      victim.kill();

      // the broker returns what the dead conductor had not acknowledged
      long[] ready = {-1};
      await()
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(300))
          .until(
              () -> {
                long now = bus.ready();
                boolean settled = now == ready[0];
                ready[0] = now;
                return settled;
              });
      long redelivered = ready[0];
      long acknowledged = total - redelivered;
      assertThat(acknowledged).as("acknowledged before the kill").isPositive();
      assertThat(redelivered).as("left for the next conductor").isPositive();

      // one channel acknowledges in queue order: the acknowledged reports are the first ones
      Map<String, ConductorFleet.Stored> afterKill = ConductorFleet.stored(project);
      for (int i = 0; i < guests; i++) {
        long lastRound = (acknowledged - 1 - i) / guests;
        if (acknowledged - 1 - i >= 0) {
          ConductorFleet.Stored s = afterKill.get(ids.get(i));
          assertThat(s.sent()).as("acknowledged report of %s", ids.get(i)).isNotNull();
          assertThat(s.sent()).isGreaterThanOrEqualTo(base + lastRound);
        }
      }

      try (ServiceProcess successor = ConductorFleet.conductor(28785, topic, 200, 1)) {
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(200))
            .untilAsserted(
                () ->
                    assertThat(ConductorFleet.stored(project).values())
                        .allMatch(s -> s.sent() != null && s.sent() == base + rounds - 1));
        ConductorFleet.stored(project)
            .values()
            .forEach(
                s -> assertThat(s.status()).isEqualTo(STATUSES[(rounds - 1) % 3].description()));
        // every returned report was handled exactly once by the successor
        await()
            .atMost(Duration.ofSeconds(10))
            .untilAsserted(
                () -> {
                  Map<String, Double> m = ConductorFleet.metrics(28785);
                  assertThat(
                          ConductorFleet.reports(m, "accepted")
                              + ConductorFleet.reports(m, "stale"))
                      .isEqualTo((double) redelivered);
                });
        assertThat(bus.ready()).isZero();
      }
    } finally {
      ConductorFleet.remove(project);
    }
  }
}
