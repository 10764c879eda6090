package io.coffer.taskmanager.task;

import io.coffer.bus.BusException;
import io.coffer.bus.MessageHandler;
import io.coffer.model.common.FlavorInfo;
import io.coffer.model.config.DatastoreDefaults;
import io.coffer.model.rpc.Method;
import io.coffer.model.rpc.RequestContext;
import io.coffer.model.status.InstanceTask;
import io.coffer.model.taskmanager.InstanceArgs;
import io.coffer.model.taskmanager.ResizeFlavorArgs;
import io.coffer.model.taskmanager.ResizeVolumeArgs;
import io.coffer.model.taskmanager.TaskManagerMethods;
import io.coffer.model.taskmanager.UpdateAccessArgs;
import io.coffer.persistence.entity.InstanceEntity;
import io.coffer.persistence.repository.DatastoreVersionRepository;
import io.coffer.taskmanager.compute.ComputeDriver;
import io.coffer.taskmanager.config.TaskManagerConfig;
import io.coffer.taskmanager.lifecycle.InstanceLocks;
import io.coffer.taskmanager.lifecycle.Lifecycle;
import io.coffer.taskmanager.lifecycle.Waits;
import io.coffer.taskmanager.messaging.GuestClient;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import java.time.Duration;
import java.util.Optional;

/** The lifecycle tasks on an existing instance: delete, restart, reboot, resize. */
final class InstanceTasks {

  private InstanceTasks() {}

  /** Collaborators every task needs (a singleton: its fields are read directly). */
  @jakarta.inject.Singleton
  static class Deps {
    final ComputeDriver compute;
    final GuestClient guests;
    final Lifecycle lifecycle;
    final InstanceLocks locks;

    Deps(ComputeDriver compute, GuestClient guests, Lifecycle lifecycle, InstanceLocks locks) {
      this.compute = compute;
      this.guests = guests;
      this.lifecycle = lifecycle;
      this.locks = locks;
    }

    /** The instance if its task is still {@code task}; otherwise the message is stale. */
    /**
     * Runs the work of a task and ends it: {@code task} done, or on failure the {@code error} task
     * with the fault "{@code failure}: reason". Returns whether the work succeeded.
     */
    boolean run(String id, InstanceTask task, InstanceTask error, String failure, Runnable work) {
      try {
        work.run();
        lifecycle.finish(id, task);
        return true;
      } catch (RuntimeException e) {
        lifecycle.fail(id, task, error, failure + ": " + e.getMessage(), e.toString());
        return false;
      }
    }

    Optional<InstanceEntity> expecting(String id, InstanceTask task) {
      Optional<InstanceEntity> i = lifecycle.live(id);
      if (i.isEmpty() || i.get().task() != task) {
        Log.infof("instance %s: not in %s any more, task skipped", id, task.action());
        return Optional.empty();
      }
      return i;
    }
  }

  /** {@code delete_instance}: stops and removes the server, its queue, and marks it deleted. */
  @jakarta.inject.Singleton
  static class Delete implements MessageHandler<InstanceArgs, Void> {
    private final Deps d;
    private final io.coffer.taskmanager.backup.WalArchives walArchives;

    Delete(Deps d, io.coffer.taskmanager.backup.WalArchives walArchives) {
      this.d = d;
      this.walArchives = walArchives;
    }

    @Override
    public Method<InstanceArgs, Void> method() {
      return TaskManagerMethods.DELETE_INSTANCE;
    }

    @Override
    public Void handle(RequestContext context, InstanceArgs args) {
      // a create still making the server holds the lock: the delete waits for it, then removes
      // what it made (a delete right after a create leaves nothing behind)
      try (InstanceLocks.Lock lock = d.locks.lock(args.instanceId(), Duration.ofMinutes(2))) {
        if (!lock.acquired()) {
          throw new IllegalStateException("instance " + args.instanceId() + " is busy");
        }
        return deleteLocked(context, args.instanceId());
      }
    }

    private Void deleteLocked(RequestContext context, String id) {
      Optional<InstanceEntity> i = d.lifecycle.live(id);
      if (i.isEmpty()) {
        return null;
      }
      InstanceTask task = i.get().task();
      if (task != InstanceTask.DELETING && task != InstanceTask.DELETING_ERROR) {
        Log.infof("instance %s: delete skipped, the task is %s", id, task);
        return null;
      }
      try {
        d.compute.delete(id);
        d.guests.removeAccess(id);
      } catch (RuntimeException e) {
        d.lifecycle.fail(
            id,
            task,
            InstanceTask.DELETING_ERROR,
            "Deleting the server failed: " + e.getMessage(),
            e.toString());
        throw e;
      }
      d.lifecycle.deleted(id);
      // its WAL archive stays for point-in-time recovery while one of its backups is kept
      walArchives.retain(id);
      if (i.get().slaveOfId != null) {
        // the source no longer keeps WAL for this replica
        ReplicationTasks.forget(d, context, i.get().slaveOfId, id);
      }
      return null;
    }
  }

  /** {@code restart}: the guest restarts the database and waits until it is healthy. */
  @jakarta.inject.Singleton
  static class Restart implements MessageHandler<InstanceArgs, Void> {
    private final Deps d;

    Restart(Deps d) {
      this.d = d;
    }

    @Override
    public Method<InstanceArgs, Void> method() {
      return TaskManagerMethods.RESTART;
    }

    @Override
    public Void handle(RequestContext context, InstanceArgs args) {
      String id = args.instanceId();
      if (d.expecting(id, InstanceTask.REBOOTING).isEmpty()) {
        return null;
      }
      try {
        d.guests.restart(context, id);
        d.lifecycle.finish(id, InstanceTask.REBOOTING);
      } catch (BusException e) {
        d.lifecycle.fail(
            id,
            InstanceTask.REBOOTING,
            InstanceTask.REBOOTING_ERROR,
            "The database did not restart: " + e.getMessage(),
            e.toString());
      }
      return null;
    }
  }

  /**
   * {@code reboot}: the server restarts (guest and database); done when the guest answers, within
   * the reboot timeout and the task's own deadline.
   */
  @jakarta.inject.Singleton
  static class Reboot implements MessageHandler<InstanceArgs, Void> {
    private static final Duration POLL = Duration.ofMillis(500);
    private final Deps d;
    private final TaskManagerConfig config;

    Reboot(Deps d, TaskManagerConfig config) {
      this.d = d;
      this.config = config;
    }

    @Override
    public Method<InstanceArgs, Void> method() {
      return TaskManagerMethods.REBOOT;
    }

    @Override
    public Void handle(RequestContext context, InstanceArgs args) {
      String id = args.instanceId();
      Optional<InstanceEntity> i = d.expecting(id, InstanceTask.REBOOTING);
      if (i.isEmpty()) {
        return null;
      }
      Duration wait = config.rebootTimeout();
      if (i.get().taskDeadline != null) {
        Duration left = Duration.between(d.lifecycle.now(), i.get().taskDeadline);
        wait = left.compareTo(wait) < 0 ? left : wait;
      }
      Duration timeout = wait.isNegative() ? Duration.ZERO : wait;
      d.run(
          id,
          InstanceTask.REBOOTING,
          InstanceTask.REBOOTING_ERROR,
          "The server did not come back",
          () -> {
            d.compute.reboot(id);
            Waits.until(
                "the guest agent to answer", timeout, POLL, () -> d.guests.ping(context, id));
          });
      return null;
    }
  }

  /** {@code resize_volume}: grows the volume, then tells the guest. */
  /**
   * {@code update_access}: who may connect and whether the server has a public address, applied by
   * the compute driver (security group rules and a floating IP on OpenStack).
   */
  @jakarta.inject.Singleton
  static class UpdateAccess implements MessageHandler<UpdateAccessArgs, Void> {
    private final Deps d;
    private final DatastoreVersionRepository versions;

    UpdateAccess(Deps d, DatastoreVersionRepository versions) {
      this.d = d;
      this.versions = versions;
    }

    @Override
    public Method<UpdateAccessArgs, Void> method() {
      return TaskManagerMethods.UPDATE_ACCESS;
    }

    @Override
    public Void handle(RequestContext context, UpdateAccessArgs args) {
      String id = args.instanceId();
      Optional<InstanceEntity> i = d.expecting(id, InstanceTask.UPDATING);
      if (i.isEmpty()) {
        return null;
      }
      d.run(
          id,
          InstanceTask.UPDATING,
          InstanceTask.UPDATING_ERROR_ACCESS,
          "The access update failed",
          () -> {
            String manager =
                QuarkusTransaction.requiringNew()
                    .call(
                        () ->
                            versions
                                .findByIdOptional(i.get().datastoreVersionId)
                                .map(v -> v.manager)
                                .orElse("postgresql"));
            d.compute.updateAccess(id, manager, args.access());
            d.compute.find(id).ifPresent(server -> d.lifecycle.serverCreated(id, server));
          });
      return null;
    }
  }

  @jakarta.inject.Singleton
  static class ResizeVolume implements MessageHandler<ResizeVolumeArgs, Void> {
    private final Deps d;

    ResizeVolume(Deps d) {
      this.d = d;
    }

    @Override
    public Method<ResizeVolumeArgs, Void> method() {
      return TaskManagerMethods.RESIZE_VOLUME;
    }

    @Override
    public Void handle(RequestContext context, ResizeVolumeArgs args) {
      String id = args.instanceId();
      if (d.expecting(id, InstanceTask.RESIZING).isEmpty()) {
        return null;
      }
      d.run(
          id,
          InstanceTask.RESIZING,
          InstanceTask.RESIZING_ERROR,
          "The volume resize failed",
          () -> {
            d.compute.resizeVolume(id, args.newSize());
            d.guests.resizeFs(context, id, args.newSize());
            d.lifecycle.volumeResized(id, args.newSize());
          });
      return null;
    }
  }

  /** {@code resize_flavor}: new memory settings, database restarted with them. */
  @jakarta.inject.Singleton
  static class ResizeFlavor implements MessageHandler<ResizeFlavorArgs, Void> {
    private final Deps d;
    private final DatastoreVersionRepository versions;

    ResizeFlavor(Deps d, DatastoreVersionRepository versions) {
      this.d = d;
      this.versions = versions;
    }

    @Override
    public Method<ResizeFlavorArgs, Void> method() {
      return TaskManagerMethods.RESIZE_FLAVOR;
    }

    @Override
    public Void handle(RequestContext context, ResizeFlavorArgs args) {
      String id = args.instanceId();
      Optional<InstanceEntity> i = d.expecting(id, InstanceTask.RESIZING);
      if (i.isEmpty()) {
        return null;
      }
      String versionId = i.get().datastoreVersionId;
      FlavorInfo flavor = args.newFlavor();
      d.run(
          id,
          InstanceTask.RESIZING,
          InstanceTask.RESIZING_ERROR,
          "The flavor resize failed",
          () -> {
            d.compute.resize(id, flavor);
            int memory = flavor.ram() == null ? 512 : flavor.ram();
            String manager =
                QuarkusTransaction.requiringNew()
                    .call(
                        () ->
                            versions
                                .findByIdOptional(versionId)
                                .map(v -> v.manager)
                                .orElse("postgresql"));
            d.guests.startWithConfiguration(
                context,
                id,
                DatastoreDefaults.render(manager, DatastoreDefaults.forMemory(manager, memory)),
                null);
            d.lifecycle.flavorResized(id, flavor.id());
          });
      return null;
    }
  }
}
