package io.coffer.system;

import static io.coffer.system.ConductorFleet.STATUSES;

import io.coffer.model.rpc.MessageCodec;
import io.coffer.model.rpc.Sealing;
import io.coffer.model.secure.Aead;
import io.coffer.model.secure.KeyWrap;
import io.coffer.testing.ServiceProcess;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import javax.crypto.SecretKey;

/**
 * Conductor load benchmark (run by {@code bench/conductor.sh}, not a test): simulated guests
 * publish heartbeats through the real RabbitMQ to a real conductor process writing to the real
 * PostgreSQL.
 *
 * <ol>
 *   <li><b>sustained</b>: heartbeats at a fixed offered rate for a while, round robin over the
 *       guests, each dated when published; prints heartbeats persisted per second and the lag (sent
 *       → committed) p50/p99 from the conductor's histogram;
 *   <li><b>capacity</b>: a backlog of heartbeats queued while no conductor runs, then drained; once
 *       in batch mode and once with one message per transaction ({@code batch-size=1}); prints both
 *       drain rates and their ratio.
 * </ol>
 *
 * After every phase it checks that each instance's stored status and {@code sent} equal the last
 * report published for it (nothing lost, no older report overwriting a newer one).
 *
 * <p>Options: {@code --guests 5000 --rate 10000 --seconds 20 --backlog 50000 --batch-size 200
 * --consumers 2 --port 28790 --sealed 0}; {@code --sealed 1} gives every instance a message key and
 * seals every report with it, as Coffer's guests do.
 */
public final class ConductorBench {

  private static final String TOPIC = "conductor-bench";

  private final int guests;
  private final int rate;
  private final int seconds;
  private final int backlog;
  private final int batchSize;
  private final int consumers;
  private final int port;
  private final String project = "bench-" + UUID.randomUUID();
  private final Map<String, double[]> last = new HashMap<>();
  private final Map<String, SecretKey> keys = new HashMap<>();
  private final boolean sealed;
  private static final Sealing SEALING = new Sealing(new MessageCodec());
  private List<String> ids;

  private ConductorBench(Map<String, Integer> o) {
    guests = o.getOrDefault("guests", 5000);
    rate = o.getOrDefault("rate", 10000);
    seconds = o.getOrDefault("seconds", 20);
    backlog = o.getOrDefault("backlog", 50000);
    batchSize = o.getOrDefault("batch-size", 200);
    consumers = o.getOrDefault("consumers", 2);
    port = o.getOrDefault("port", 28790);
    sealed = o.getOrDefault("sealed", 0) == 1;
  }

  public static void main(String[] args) {
    Map<String, Integer> options = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      options.put(args[i].replaceFirst("^--", ""), Integer.parseInt(args[i + 1]));
    }
    ConductorBench bench = new ConductorBench(options);
    try {
      bench.run();
    } finally {
      ConductorFleet.remove(bench.project);
    }
    System.exit(0);
  }

  private void run() {
    System.out.printf(
        "conductor benchmark: %d guests (%s), conductor with %d consumer(s), %d cores%n",
        guests,
        sealed ? "sealed reports" : "plaintext reports",
        consumers,
        Runtime.getRuntime().availableProcessors());
    double sustained;
    double batched;
    double single;
    try (ConductorFleet.Guests bus = new ConductorFleet.Guests(TOPIC)) {
      try (ServiceProcess conductor = ConductorFleet.conductor(port, TOPIC, batchSize, consumers)) {
        bus.purge();
        ids = ConductorFleet.instances(project, guests);
        if (sealed) {
          giveKeys();
        }
        sustained = sustained(bus);
      }
      batched = capacity(bus, batchSize, "batches of up to " + batchSize);
      single = capacity(bus, 1, "one message per transaction");
    }
    if (Double.isNaN(batched) || Double.isNaN(single)) {
      System.out.printf(
          "%nresult: sustained %.0f heartbeats/s; capacity not measured (backlog too small)%n",
          sustained);
      return;
    }
    System.out.printf(
        "%nresult: sustained %.0f heartbeats/s; capacity %.0f/s batched vs %.0f/s one per"
            + " transaction: %.1fx%n",
        sustained, batched, single, batched / single);
  }

  /**
   * Offers {@code rate} heartbeats/s for {@code seconds}; returns heartbeats persisted per second.
   */
  private double sustained(ConductorFleet.Guests bus) {
    Map<String, Double> before = ConductorFleet.metrics(port);
    long start = System.nanoTime();
    long end = start + Duration.ofSeconds(seconds).toNanos();
    long published = 0;
    int next = 0;
    while (System.nanoTime() < end) {
      long due = (System.nanoTime() - start) * rate / 1_000_000_000L;
      while (published < due) {
        publish(bus, ids.get(next), (int) (published % STATUSES.length));
        next = (next + 1) % ids.size();
        published++;
      }
      sleepMillis(1);
    }
    bus.confirm();
    long offered = System.nanoTime();
    waitUntilStored(Duration.ofSeconds(120));
    long done = System.nanoTime();
    Map<String, Double> after = ConductorFleet.metrics(port);
    double handled =
        ConductorFleet.reports(after, "accepted")
            + ConductorFleet.reports(after, "stale")
            - ConductorFleet.reports(before, "accepted")
            - ConductorFleet.reports(before, "stale");
    double persistedPerSecond = handled / ((done - start) / 1e9);
    TreeMap<Double, Double> b = ConductorFleet.lagBuckets(before);
    TreeMap<Double, Double> a = ConductorFleet.lagBuckets(after);
    System.out.printf(
        "sustained: offered %d/s for %ds (%d heartbeats), all persisted %.2fs after the last was"
            + " published%n",
        rate, seconds, published, (done - offered) / 1e9);
    System.out.printf(
        "  persisted %.0f heartbeats/s; lag sent→committed p50 ≤ %.0f ms, p99 ≤ %.0f ms%n",
        persistedPerSecond,
        ConductorFleet.lagQuantile(b, a, 0.5) * 1000,
        ConductorFleet.lagQuantile(b, a, 0.99) * 1000);
    verify();
    return persistedPerSecond;
  }

  /** Queues a backlog with no conductor running, then drains it; returns the drain rate. */
  private double capacity(ConductorFleet.Guests bus, int size, String mode) {
    int rounds = Math.max(1, backlog / guests);
    for (int r = 0; r < rounds; r++) {
      for (String id : ids) {
        publish(bus, id, r % STATUSES.length);
      }
    }
    bus.confirm();
    int queued = rounds * guests;
    try (ServiceProcess conductor = ConductorFleet.conductor(port, TOPIC, size, consumers)) {
      long first = 0;
      double firstCount = 0;
      double count = 0;
      long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
      while (count < queued && System.nanoTime() < deadline) {
        Map<String, Double> m = ConductorFleet.metrics(port);
        count = ConductorFleet.reports(m, "accepted") + ConductorFleet.reports(m, "stale");
        if (first == 0 && count > 0) {
          first = System.nanoTime();
          firstCount = count;
        }
        if (count < queued) {
          sleepMillis(50);
        }
      }
      if (firstCount >= queued) {
        // all of it went between two samples: no rate can be read off so small a backlog
        System.out.printf(
            "capacity, %s: %d queued heartbeats drained before the first sample (give a larger"
                + " --backlog to measure)%n",
            mode, queued);
        verify();
        return Double.NaN;
      }
      double perSecond = (count - firstCount) / ((System.nanoTime() - first) / 1e9);
      System.out.printf(
          "capacity, %s: %d queued heartbeats drained at %.0f/s%n", mode, queued, perSecond);
      verify();
      return perSecond;
    }
  }

  private void publish(ConductorFleet.Guests bus, String id, int status) {
    Instant now = Instant.now();
    double sent = now.getEpochSecond() + (now.getNano() / 1000) / 1e6;
    double[] prev = last.get(id);
    if (prev != null && sent <= prev[0]) {
      sent = prev[0] + 1e-6;
    }
    last.put(id, new double[] {sent, status});
    byte[] body = ConductorFleet.heartbeat(id, STATUSES[status], sent);
    SecretKey key = keys.get(id);
    // a guest with a key seals its report, as real guests do
    bus.publish(key == null ? body : SEALING.sealMessage(body, id, key));
  }

  /** Gives every simulated guest's instance a message key, stored as the API stores them. */
  private void giveKeys() {
    KeyWrap wrap;
    try {
      wrap =
          new KeyWrap(
              Aead.key(
                  java.nio.file.Files.readString(
                      ServiceProcess.repositoryRoot().resolve("test-support/test-master.key"))));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    try (java.sql.Connection c = io.coffer.testing.Db.connect();
        java.sql.PreparedStatement ps =
            c.prepareStatement("UPDATE instances SET encrypted_key = ? WHERE id = ?")) {
      for (String id : ids) {
        SecretKey key = Aead.newKey();
        keys.put(id, key);
        ps.setString(1, wrap.wrap(id, key));
        ps.setString(2, id);
        ps.addBatch();
      }
      ps.executeBatch();
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private void waitUntilStored(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (mismatches() == 0) {
        return;
      }
      sleepMillis(20);
    }
  }

  private long mismatches() {
    Map<String, ConductorFleet.Stored> stored = ConductorFleet.stored(project);
    return last.entrySet().stream()
        .filter(
            e -> {
              ConductorFleet.Stored s = stored.get(e.getKey());
              return s == null
                  || s.sent() == null
                  || s.sent() != e.getValue()[0]
                  || !s.status().equals(STATUSES[(int) e.getValue()[1]].description());
            })
        .count();
  }

  private void verify() {
    long bad = mismatches();
    System.out.printf(
        "  verified: %d of %d instances hold exactly their last published heartbeat%n",
        last.size() - bad, last.size());
    if (bad > 0) {
      throw new IllegalStateException(bad + " instances do not hold their last heartbeat");
    }
  }

  private static void sleepMillis(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
