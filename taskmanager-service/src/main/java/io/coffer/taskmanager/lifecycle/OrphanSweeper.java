package io.coffer.taskmanager.lifecycle;

import io.coffer.bus.Topology;
import io.coffer.model.status.InstanceTask;
import io.coffer.persistence.security.InstanceKeys;
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
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.crypto.SecretKey;
import javax.sql.DataSource;

/**
 * Finds what belongs to no live instance and removes it: servers of the compute driver (processes,
 * directories, addresses), guest queues and guest broker users whose instance is deleted or never
 * existed — what a taskmanager killed in the middle of a create or a delete can leave behind. An
 * instance row is written before any of its resources, and marked deleted only after they are gone,
 * so a resource whose instance has a live row is never touched. Queues and users are those of this
 * deployment's virtual host only: another deployment on the same broker is left alone.
 *
 * <p>It also heals: a live instance whose server runs but whose guest queue or broker user is gone
 * (removed by hand, or by an older release's sweep of another deployment) gets them back, the user
 * with the password derived from the instance's key, which its guest already holds.
 */
@ApplicationScoped
public class OrphanSweeper {

  private final ComputeDriver compute;
  private final Topology topology;
  private final BrokerUsers brokerUsers;
  private final InstanceKeys keys;
  private final DataSource db;
  private final MeterRegistry registry;

  OrphanSweeper(
      ComputeDriver compute,
      Topology topology,
      BrokerUsers brokerUsers,
      InstanceKeys keys,
      DataSource db,
      MeterRegistry registry) {
    this.compute = compute;
    this.topology = topology;
    this.brokerUsers = brokerUsers;
    this.keys = keys;
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

  /**
   * Removes orphans now and restores missing guest access; returns how many of each kind (server,
   * queue, broker-user; queue-restored, broker-user-restored).
   */
  public Map<String, Integer> sweep() {
    Map<String, Set<String>> found = new TreeMap<>();
    found.put("server", new TreeSet<>(compute.instances()));
    if (brokerUsers.enabled()) {
      found.put("queue", new TreeSet<>(brokerUsers.instancesWithQueues()));
      found.put("broker-user", new TreeSet<>(brokerUsers.instancesWithUsers()));
    }
    Set<String> all = new TreeSet<>();
    found.values().forEach(all::addAll);
    Map<String, Integer> live = live(all);
    Set<String> orphans = new TreeSet<>(all);
    orphans.removeAll(live.keySet());
    Map<String, Integer> removed = new TreeMap<>();
    if (brokerUsers.enabled()) {
      heal(live, found, removed);
    }
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

  /**
   * Gives a live instance whose server runs its missing guest queue and broker user back. Instances
   * being built or deleted are left to their task, which makes or removes both itself.
   */
  private void heal(
      Map<String, Integer> live, Map<String, Set<String>> found, Map<String, Integer> healed) {
    for (Map.Entry<String, Integer> i : live.entrySet()) {
      String id = i.getKey();
      InstanceTask task = InstanceTask.fromCode(i.getValue()).orElse(InstanceTask.NONE);
      if (!found.get("server").contains(id)
          || task == InstanceTask.BUILDING
          || task == InstanceTask.DELETING) {
        continue;
      }
      try {
        if (!found.get("queue").contains(id)) {
          topology.declareGuestQueue(id);
          counted(healed, "queue-restored", id);
        }
        if (!found.get("broker-user").contains(id)) {
          Optional<SecretKey> key = keys.keyOf(id);
          if (key.isEmpty()) {
            Log.warnf(
                "instance %s: its broker user is missing and, without a message key, cannot be"
                    + " given the password its guest holds",
                id);
            continue;
          }
          brokerUsers.create(id, key);
          counted(healed, "broker-user-restored", id);
        }
      } catch (RuntimeException e) {
        Log.warnf("instance %s: guest access not restored: %s", id, e.getMessage());
      }
    }
  }

  private void counted(Map<String, Integer> outcome, String kind, String id) {
    Log.warnf("instance %s: %s", id, kind.replace('-', ' '));
    outcome.merge(kind, 1, Integer::sum);
    Counter.builder("coffer.taskmanager.guest.access.restored")
        .description("Guest queues and broker users given back to live instances")
        .tag("kind", kind)
        .register(registry)
        .increment();
  }

  /** The ids among {@code ids} that have a live (not deleted) instance row, with their task. */
  private Map<String, Integer> live(Set<String> ids) {
    Map<String, Integer> live = new TreeMap<>();
    if (ids.isEmpty()) {
      return live;
    }
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT id, task_id FROM instances WHERE NOT deleted AND id = ANY (?)")) {
      ps.setArray(1, c.createArrayOf("varchar", ids.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          live.put(rs.getString(1), rs.getInt(2));
        }
      }
    } catch (SQLException e) {
      // without the database nothing can be called an orphan
      throw new IllegalStateException("cannot read live instances: " + e.getMessage(), e);
    }
    return live;
  }
}
