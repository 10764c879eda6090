package io.coffer.taskmanager.task;

import com.fasterxml.jackson.databind.JsonNode;
import io.coffer.bus.MessageHandler;
import io.coffer.model.rpc.Method;
import io.coffer.model.rpc.RequestContext;
import io.coffer.model.status.InstanceTask;
import io.coffer.model.taskmanager.InstanceArgs;
import io.coffer.model.taskmanager.TaskManagerMethods;
import io.coffer.persistence.entity.InstanceEntity;
import io.quarkus.logging.Log;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Replica topology changes: detach a replica, promote a replica to source (switchover without data
 * loss), eject a dead source (failover to the most advanced replica). The sequences are Trove's
 * (TROVE-SPEC §4.3); every member of the replication set ends with task NONE, or, on failure, the
 * error task with a fault.
 */
final class ReplicationTasks {

  private ReplicationTasks() {}

  /** {@code detach_replica}: the replica becomes a standalone server; its source forgets it. */
  @jakarta.inject.Singleton
  static class Detach implements MessageHandler<InstanceArgs, Void> {
    private final InstanceTasks.Deps d;

    Detach(InstanceTasks.Deps d) {
      this.d = d;
    }

    @Override
    public Method<InstanceArgs, Void> method() {
      return TaskManagerMethods.DETACH_REPLICA;
    }

    @Override
    public Void handle(RequestContext context, InstanceArgs args) {
      String id = args.instanceId();
      Optional<InstanceEntity> i = d.expecting(id, InstanceTask.DETACHING);
      if (i.isEmpty()) {
        return null;
      }
      String source = i.get().slaveOfId;
      boolean detached =
          d.run(
              id,
              InstanceTask.DETACHING,
              InstanceTask.DETACHING_ERROR,
              "Detaching the replica failed",
              () -> {
                d.guests.detachReplica(context, id, false);
                d.lifecycle.update(id, x -> x.slaveOfId = null);
              });
      if (detached && source != null) {
        forget(d, context, source, id);
      }
      return null;
    }
  }

  /** The source drops what it kept for a replica that left (best effort). */
  static void forget(InstanceTasks.Deps d, RequestContext context, String source, String replica) {
    try {
      d.guests.cleanupSource(context, source, replica);
    } catch (RuntimeException e) {
      Log.warnf(
          "instance %s: replication slot of former replica %s not dropped: %s",
          source, replica, e.getMessage());
    }
  }

  /**
   * {@code promote_to_replica_source}: the source stops cleanly (all of its WAL reaches the
   * replicas), the candidate replays up to the source's last position and is promoted, the other
   * replicas follow it, and the former source is rewound onto the new history and follows it too.
   */
  @jakarta.inject.Singleton
  static class Promote implements MessageHandler<InstanceArgs, Void> {
    private final InstanceTasks.Deps d;

    Promote(InstanceTasks.Deps d) {
      this.d = d;
    }

    @Override
    public Method<InstanceArgs, Void> method() {
      return TaskManagerMethods.PROMOTE_TO_REPLICA_SOURCE;
    }

    @Override
    public Void handle(RequestContext context, InstanceArgs args) {
      String candidate = args.instanceId();
      Optional<InstanceEntity> c = d.expecting(candidate, InstanceTask.PROMOTING);
      if (c.isEmpty() || c.get().slaveOfId == null) {
        return null;
      }
      String old = c.get().slaveOfId;
      List<String> others = new ArrayList<>();
      for (InstanceEntity r : d.lifecycle.replicasOf(old)) {
        if (!r.id.equals(candidate)) {
          others.add(r.id);
        }
      }
      List<String> members = new ArrayList<>(List.of(old, candidate));
      members.addAll(others);
      long start = System.nanoTime();
      try {
        d.guests.makeReadOnly(context, old, true);
        String position = d.guests.latestTxnId(context, old);
        d.guests.waitForTxn(context, candidate, position);
        d.guests.detachReplica(context, candidate, true);
        d.guests.enableAsMaster(context, candidate);
        Map<String, Object> follow = d.guests.replicaContext(context, candidate);
        for (String other : others) {
          d.guests.attachReplica(context, other, follow, false);
        }
        d.guests.attachReplica(context, old, follow, true);
        d.guests.demoteReplicationMaster(context, old);
      } catch (RuntimeException e) {
        for (String m : members) {
          d.lifecycle.fail(
              m,
              InstanceTask.PROMOTING,
              InstanceTask.PROMOTION_ERROR,
              "Promoting " + candidate + " to replica source failed: " + e.getMessage(),
              e.toString());
        }
        return null;
      }
      d.lifecycle.update(candidate, x -> x.slaveOfId = null);
      d.lifecycle.update(old, x -> x.slaveOfId = candidate);
      for (String other : others) {
        d.lifecycle.update(other, x -> x.slaveOfId = candidate);
      }
      members.forEach(m -> d.lifecycle.finish(m, InstanceTask.PROMOTING));
      Log.infof(
          "instance %s: promoted to replica source in %d ms (former source %s follows it)",
          candidate, (System.nanoTime() - start) / 1_000_000, old);
      return null;
    }
  }

  /**
   * {@code eject_replica_source}: the source is gone; the replica that replayed the most becomes
   * the source and the others follow it. The former source is left as it is.
   */
  @jakarta.inject.Singleton
  static class Eject implements MessageHandler<InstanceArgs, Void> {
    private final InstanceTasks.Deps d;

    Eject(InstanceTasks.Deps d) {
      this.d = d;
    }

    @Override
    public Method<InstanceArgs, Void> method() {
      return TaskManagerMethods.EJECT_REPLICA_SOURCE;
    }

    @Override
    public Void handle(RequestContext context, InstanceArgs args) {
      String old = args.instanceId();
      if (d.expecting(old, InstanceTask.EJECTING).isEmpty()) {
        return null;
      }
      List<String> replicas = d.lifecycle.replicasOf(old).stream().map(r -> r.id).toList();
      List<String> members = new ArrayList<>(List.of(old));
      members.addAll(replicas);
      long start = System.nanoTime();
      String source;
      try {
        source = promoteMostAdvanced(d, context, replicas).source();
      } catch (RuntimeException e) {
        for (String m : members) {
          d.lifecycle.fail(
              m,
              InstanceTask.EJECTING,
              InstanceTask.EJECTION_ERROR,
              "Ejecting replica source " + old + " failed: " + e.getMessage(),
              e.toString());
        }
        return null;
      }
      repoint(d, source, replicas);
      members.forEach(m -> d.lifecycle.finish(m, InstanceTask.EJECTING));
      Log.infof(
          "instance %s: ejected; %s is the replica source now (%d ms)",
          old, source, (System.nanoTime() - start) / 1_000_000);
      return null;
    }
  }

  /**
   * A replica promoted in its source's place, and what its former fellow replicas were told to
   * follow.
   */
  record Promoted(String source, Map<String, Object> follow) {}

  /**
   * Promotes the replica (of a source that is gone) that replayed the most, and makes the others
   * follow it. All must follow the same source.
   */
  static Promoted promoteMostAdvanced(
      InstanceTasks.Deps d, RequestContext context, List<String> replicas) {
    long bestPosition = -1;
    String best = null;
    String identity = null;
    for (String r : replicas) {
      JsonNode last = d.guests.lastTxn(context, r);
      String system = last.get(0).asText();
      if (identity != null && !identity.equals(system)) {
        throw new IllegalStateException(
            "the replicas do not follow the same source (" + identity + ", " + system + ")");
      }
      identity = system;
      long position = last.get(1).asLong();
      if (position > bestPosition) {
        bestPosition = position;
        best = r;
      }
    }
    if (best == null) {
      throw new IllegalStateException("no replica to promote");
    }
    d.guests.detachReplica(context, best, true);
    d.guests.enableAsMaster(context, best);
    Map<String, Object> follow = d.guests.replicaContext(context, best);
    for (String r : replicas) {
      if (!r.equals(best)) {
        d.guests.attachReplica(context, r, follow, false);
      }
    }
    return new Promoted(best, follow);
  }

  /** Records {@code source} as the source and the other {@code replicas} as its replicas. */
  static void repoint(InstanceTasks.Deps d, String source, List<String> replicas) {
    d.lifecycle.update(source, x -> x.slaveOfId = null);
    for (String r : replicas) {
      if (!r.equals(source)) {
        d.lifecycle.update(r, x -> x.slaveOfId = source);
      }
    }
  }
}
