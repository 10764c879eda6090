package io.coffer.taskmanager.lifecycle;

import io.coffer.bus.Topology;
import io.coffer.taskmanager.broker.BrokerUsers;
import io.coffer.taskmanager.compute.ComputeDriver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.sql.DataSource;

/**
 * Finds what belongs to no live instance and removes it: servers of the compute driver (processes,
 * directories, addresses), guest queues and guest broker users whose instance is deleted or never
 * existed — what a taskmanager killed in the middle of a create or a delete can leave behind. An
 * instance row is written before any of its resources, and marked deleted only after they are gone,
 * so a resource whose instance has a live row is never touched.
 */
@ApplicationScoped
public class OrphanSweeper {

  private final ComputeDriver compute;
  private final Topology topology;
  private final BrokerUsers brokerUsers;
  private final DataSource db;
  private final MeterRegistry registry;

  OrphanSweeper(
      ComputeDriver compute,
      Topology topology,
      BrokerUsers brokerUsers,
      DataSource db,
      MeterRegistry registry) {
    this.compute = compute;
    this.topology = topology;
    this.brokerUsers = brokerUsers;
    this.db = db;
    this.registry = registry;
  }

  @Scheduled(
      every = "${coffer.taskmanager.orphan-sweep-interval}",
      delayed = "${coffer.taskmanager.orphan-sweep-delay}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void scheduled() {
    try {
      sweep();
    } catch (RuntimeException e) {
      Log.warnf("orphan sweep failed: %s", e.getMessage());
    }
  }

  /** Removes orphans now; returns how many of each kind (server, queue, broker-user). */
  public Map<String, Integer> sweep() {
    Map<String, Set<String>> found = new TreeMap<>();
    found.put("server", new TreeSet<>(compute.instances()));
    if (brokerUsers.enabled()) {
      found.put("queue", new TreeSet<>(brokerUsers.instancesWithQueues()));
      found.put("broker-user", new TreeSet<>(brokerUsers.instancesWithUsers()));
    }
    Set<String> all = new TreeSet<>();
    found.values().forEach(all::addAll);
    Set<String> orphans = new TreeSet<>(all);
    orphans.removeAll(live(all));
    Map<String, Integer> removed = new TreeMap<>();
    for (String id : orphans) {
      for (Map.Entry<String, Set<String>> kind : found.entrySet()) {
        if (!kind.getValue().contains(id)) {
          continue;
        }
        switch (kind.getKey()) {
          case "server" -> compute.delete(id);
          case "queue" -> topology.deleteGuestQueue(id);
          default -> brokerUsers.delete(id);
        }
        Log.warnf("orphan %s of instance %s removed", kind.getKey(), id);
        removed.merge(kind.getKey(), 1, Integer::sum);
        Counter.builder("coffer.taskmanager.orphans.removed")
            .description("Resources removed because they belonged to no live instance")
            .tag("kind", kind.getKey())
            .register(registry)
            .increment();
      }
    }
    return removed;
  }

  /** The ids among {@code ids} that have a live (not deleted) instance row. */
  private Set<String> live(Set<String> ids) {
    Set<String> live = new TreeSet<>();
    if (ids.isEmpty()) {
      return live;
    }
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT id FROM instances WHERE NOT deleted AND id = ANY (?)")) {
      ps.setArray(1, c.createArrayOf("varchar", ids.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          live.add(rs.getString(1));
        }
      }
    } catch (SQLException e) {
      // without the database nothing can be called an orphan
      throw new IllegalStateException("cannot read live instances: " + e.getMessage(), e);
    }
    return live;
  }
}
