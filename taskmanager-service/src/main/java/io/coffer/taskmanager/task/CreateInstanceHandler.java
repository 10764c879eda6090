package io.coffer.taskmanager.task;

import io.coffer.bus.MessageHandler;
import io.coffer.model.common.RestoreInfo;
import io.coffer.model.common.WalArchive;
import io.coffer.model.config.DatastoreDefaults;
import io.coffer.model.guest.PrepareArgs;
import io.coffer.model.rpc.Method;
import io.coffer.model.rpc.RequestContext;
import io.coffer.model.secret.Secret;
import io.coffer.model.status.InstanceTask;
import io.coffer.model.taskmanager.CreateInstanceArgs;
import io.coffer.model.taskmanager.TaskManagerMethods;
import io.coffer.persistence.entity.BackupEntity;
import io.coffer.persistence.entity.InstanceEntity;
import io.coffer.persistence.repository.BackupRepository;
import io.coffer.taskmanager.compute.ComputeDriver;
import io.coffer.taskmanager.compute.Server;
import io.coffer.taskmanager.compute.ServerSpec;
import io.coffer.taskmanager.lifecycle.InstanceLocks;
import io.coffer.taskmanager.lifecycle.Lifecycle;
import io.coffer.taskmanager.messaging.GuestClient;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code create_instance}: creates the server (or finds the one a previous delivery created),
 * creates the guest's queue, and casts {@code prepare}. The instance leaves BUILD when its guest
 * reports the database up ({@link io.coffer.taskmanager.lifecycle.Lifecycle}'s watchers), or goes
 * to ERROR at its deadline. A redelivered message finds the work done: no second server.
 */
@ApplicationScoped
class CreateInstanceHandler implements MessageHandler<CreateInstanceArgs, Void> {

  private final ComputeDriver compute;
  private final GuestClient guests;
  private final GuestConfigs configs;
  private final Lifecycle lifecycle;
  private final InstanceLocks locks;
  private final BackupRepository backups;

  CreateInstanceHandler(
      ComputeDriver compute,
      GuestClient guests,
      GuestConfigs configs,
      Lifecycle lifecycle,
      InstanceLocks locks,
      BackupRepository backups) {
    this.compute = compute;
    this.guests = guests;
    this.configs = configs;
    this.lifecycle = lifecycle;
    this.locks = locks;
    this.backups = backups;
  }

  @Override
  public Method<CreateInstanceArgs, Void> method() {
    return TaskManagerMethods.CREATE_INSTANCE;
  }

  @Override
  public Void handle(RequestContext context, CreateInstanceArgs args) {
    List<String> ids = args.instanceId() == null ? List.of() : args.instanceId();
    for (int n = 0; n < ids.size(); n++) {
      Secret root =
          args.rootPassword() == null || args.rootPassword().size() <= n
              ? null
              : args.rootPassword().get(n);
      create(context, ids.get(n), args, root);
    }
    return null;
  }

  private void create(
      RequestContext context, String id, CreateInstanceArgs args, Secret rootPassword) {
    try (InstanceLocks.Lock lock = locks.tryLock(id)) {
      if (!lock.acquired()) {
        Log.infof("instance %s: another taskmanager is creating it", id);
        return;
      }
      createLocked(context, id, args, rootPassword);
    }
  }

  private void createLocked(
      RequestContext context, String id, CreateInstanceArgs args, Secret rootPassword) {
    Optional<InstanceEntity> found = lifecycle.live(id);
    if (found.isEmpty()) {
      // the API commits the instance before its task is published; a missing one was deleted
      Log.infof("instance %s: gone before it was built, nothing to do", id);
      return;
    }
    InstanceEntity i = found.get();
    if (i.task() != InstanceTask.BUILDING) {
      Log.infof("instance %s: task is %s, create_instance already handled", id, i.task());
      return;
    }
    RestoreInfo restore = null;
    if (args.backupId() != null) {
      Optional<BackupEntity> b =
          QuarkusTransaction.requiringNew().call(() -> backups.live(args.backupId()));
      if (b.isEmpty() || b.get().location == null) {
        lifecycle.fail(
            id,
            InstanceTask.BUILDING,
            InstanceTask.BUILDING_ERROR_SERVER,
            "The backup " + args.backupId() + " to restore is gone or has no data.",
            null);
        return;
      }
      // point-in-time recovery: the backup, then its source's WAL archive up to the time
      restore =
          new RestoreInfo(
              b.get().id,
              b.get().instanceId,
              b.get().location,
              b.get().backupType,
              b.get().checksum,
              args.walArchiveOf() == null ? null : WalArchive.container(args.walArchiveOf()),
              args.walArchiveOf() == null ? null : args.restoreTime());
    }
    Server server;
    try {
      guests.createQueue(id);
      server =
          compute.create(
              new ServerSpec(
                  id,
                  i.name,
                  args.flavor(),
                  args.volumeSize() == null ? 1 : args.volumeSize(),
                  args.volumeType(),
                  args.datastoreManager(),
                  args.dsVersion(),
                  args.imageId(),
                  args.availabilityZone(),
                  args.locality(),
                  args.slaveOfId() == null ? id : args.slaveOfId(),
                  args.access(),
                  configs.of(i, args.datastoreManager(), args.dsVersion())));
    } catch (RuntimeException e) {
      lifecycle.fail(
          id,
          InstanceTask.BUILDING,
          InstanceTask.BUILDING_ERROR_SERVER,
          "The server could not be created: " + e.getMessage(),
          e.toString());
      compute.delete(id);
      return;
    }
    lifecycle.serverCreated(id, server);
    Map<String, Object> snapshot = null;
    if (args.slaveOfId() != null) {
      try {
        // the source makes itself ready to be copied and followed
        snapshot = guests.replicationSnapshot(context, args.slaveOfId());
      } catch (RuntimeException e) {
        lifecycle.fail(
            id,
            InstanceTask.BUILDING,
            InstanceTask.BUILDING_ERROR_REPLICA,
            "The source " + args.slaveOfId() + " gave no replication snapshot: " + e.getMessage(),
            e.toString());
        return;
      }
    }
    int memory = args.flavor() == null || args.flavor().ram() == null ? 512 : args.flavor().ram();
    guests.prepare(
        context,
        id,
        new PrepareArgs(
            args.packages() == null || args.packages().isBlank()
                ? List.of()
                : List.of(args.packages().split(",")),
            args.databases(),
            memory,
            args.users(),
            null,
            null,
            restore,
            DatastoreDefaults.render(
                args.datastoreManager(),
                DatastoreDefaults.forMemory(args.datastoreManager(), memory)),
            rootPassword,
            args.overrides(),
            null,
            snapshot,
            null,
            args.dsVersion()));
    Log.infof("instance %s: server %s created, prepare sent", id, server.serverId());
  }
}
