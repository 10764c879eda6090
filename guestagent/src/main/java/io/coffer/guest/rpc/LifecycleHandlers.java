package io.coffer.guest.rpc;

import io.coffer.bus.MessageHandler;
import io.coffer.guest.datastore.Datastore;
import io.coffer.guest.datastore.GuestError;
import io.coffer.model.guest.ApplyOverridesArgs;
import io.coffer.model.guest.CreateBackupArgs;
import io.coffer.model.guest.FilesystemStats;
import io.coffer.model.guest.FilesystemStatsArgs;
import io.coffer.model.guest.GuestMethods;
import io.coffer.model.guest.PrepareArgs;
import io.coffer.model.guest.ResetConfigurationArgs;
import io.coffer.model.guest.ResizeFsArgs;
import io.coffer.model.guest.StartDbWithConfChangesArgs;
import io.coffer.model.guest.UpdateOverridesArgs;
import io.coffer.model.guest.VolumeArgs;
import io.coffer.model.rpc.Method;
import io.coffer.model.rpc.NoArgs;
import io.coffer.model.rpc.RequestContext;
import jakarta.enterprise.context.ApplicationScoped;

/** The guest's lifecycle methods: prepare, restart, stop, configuration, volume. */
final class LifecycleHandlers {

  private LifecycleHandlers() {}

  @ApplicationScoped
  static class Prepare implements MessageHandler<PrepareArgs, Void> {
    private final Datastore datastore;

    Prepare(Datastore datastore) {
      this.datastore = datastore;
    }

    @Override
    public Method<PrepareArgs, Void> method() {
      return GuestMethods.PREPARE;
    }

    @Override
    public Void handle(RequestContext context, PrepareArgs args) {
      datastore.lifecycle().prepare(args);
      return null;
    }
  }

  @ApplicationScoped
  static class CreateBackup implements MessageHandler<CreateBackupArgs, Void> {
    private final Datastore datastore;

    CreateBackup(Datastore datastore) {
      this.datastore = datastore;
    }

    @Override
    public Method<CreateBackupArgs, Void> method() {
      return GuestMethods.CREATE_BACKUP;
    }

    @Override
    public Void handle(RequestContext context, CreateBackupArgs args) {
      if (args.backupInfo() == null || args.backupInfo().id() == null) {
        throw GuestError.badRequest("create_backup needs backup_info with an id");
      }
      datastore.backups().createBackup(args.backupInfo());
      return null;
    }
  }

  @ApplicationScoped
  static class Restart implements MessageHandler<NoArgs, Void> {
    private final Datastore datastore;

    Restart(Datastore datastore) {
      this.datastore = datastore;
    }

    @Override
    public Method<NoArgs, Void> method() {
      return GuestMethods.RESTART;
    }

    @Override
    public Void handle(RequestContext context, NoArgs args) {
      datastore.lifecycle().restart();
      return null;
    }
  }

  @ApplicationScoped
  static class StopDb implements MessageHandler<NoArgs, Void> {
    private final Datastore datastore;

    StopDb(Datastore datastore) {
      this.datastore = datastore;
    }

    @Override
    public Method<NoArgs, Void> method() {
      return GuestMethods.STOP_DB;
    }

    @Override
    public Void handle(RequestContext context, NoArgs args) {
      datastore.lifecycle().stop();
      return null;
    }
  }

  @ApplicationScoped
  static class StartWithConfChanges implements MessageHandler<StartDbWithConfChangesArgs, Void> {
    private final Datastore datastore;

    StartWithConfChanges(Datastore datastore) {
      this.datastore = datastore;
    }

    @Override
    public Method<StartDbWithConfChangesArgs, Void> method() {
      return GuestMethods.START_DB_WITH_CONF_CHANGES;
    }

    @Override
    public Void handle(RequestContext context, StartDbWithConfChangesArgs args) {
      datastore.lifecycle().startWithConfiguration(args.configContents());
      return null;
    }
  }

  @ApplicationScoped
  static class ResetConfiguration implements MessageHandler<ResetConfigurationArgs, Void> {
    private final Datastore datastore;

    ResetConfiguration(Datastore datastore) {
      this.datastore = datastore;
    }

    @Override
    public Method<ResetConfigurationArgs, Void> method() {
      return GuestMethods.RESET_CONFIGURATION;
    }

    @Override
    public Void handle(RequestContext context, ResetConfigurationArgs args) {
      Object contents =
          args.configuration() == null ? null : args.configuration().get("config_contents");
      datastore.lifecycle().startWithConfiguration(contents == null ? "" : contents.toString());
      return null;
    }
  }

  @ApplicationScoped
  static class UpdateOverrides implements MessageHandler<UpdateOverridesArgs, Void> {
    private final Datastore datastore;

    UpdateOverrides(Datastore datastore) {
      this.datastore = datastore;
    }

    @Override
    public Method<UpdateOverridesArgs, Void> method() {
      return GuestMethods.UPDATE_OVERRIDES;
    }

    @Override
    public Void handle(RequestContext context, UpdateOverridesArgs args) {
      datastore
          .configuration()
          .updateOverrides(
              args.overrides() == null ? java.util.Map.of() : args.overrides(),
              Boolean.TRUE.equals(args.remove()));
      return null;
    }
  }

  @ApplicationScoped
  static class ApplyOverrides implements MessageHandler<ApplyOverridesArgs, Void> {
    private final Datastore datastore;

    ApplyOverrides(Datastore datastore) {
      this.datastore = datastore;
    }

    @Override
    public Method<ApplyOverridesArgs, Void> method() {
      return GuestMethods.APPLY_OVERRIDES;
    }

    @Override
    public Void handle(RequestContext context, ApplyOverridesArgs args) {
      datastore.configuration().applyOverrides();
      return null;
    }
  }

  @ApplicationScoped
  static class FilesystemStatsHandler
      implements MessageHandler<FilesystemStatsArgs, FilesystemStats> {
    private final Datastore datastore;

    FilesystemStatsHandler(Datastore datastore) {
      this.datastore = datastore;
    }

    @Override
    public Method<FilesystemStatsArgs, FilesystemStats> method() {
      return GuestMethods.GET_FILESYSTEM_STATS;
    }

    @Override
    public FilesystemStats handle(RequestContext context, FilesystemStatsArgs args) {
      return datastore.lifecycle().filesystemStats();
    }
  }

  @ApplicationScoped
  static class ResizeFs implements MessageHandler<ResizeFsArgs, Void> {
    private final Datastore datastore;

    ResizeFs(Datastore datastore) {
      this.datastore = datastore;
    }

    @Override
    public Method<ResizeFsArgs, Void> method() {
      return GuestMethods.RESIZE_FS;
    }

    @Override
    public Void handle(RequestContext context, ResizeFsArgs args) {
      // the local "volume" is a directory: growing it means a larger allowance (device_path
      // carries the new size in GB)
      if (args.devicePath() != null && args.devicePath().matches("[0-9]+")) {
        datastore.lifecycle().resizeVolume(Integer.parseInt(args.devicePath()));
      }
      return null;
    }
  }

  @ApplicationScoped
  static class MountVolume implements MessageHandler<VolumeArgs, Void> {
    @Override
    public Method<VolumeArgs, Void> method() {
      return GuestMethods.MOUNT_VOLUME;
    }

    @Override
    public Void handle(RequestContext context, VolumeArgs args) {
      // the local driver's volume is a directory that is always there
      return null;
    }
  }

  @ApplicationScoped
  static class UnmountVolume implements MessageHandler<VolumeArgs, Void> {
    @Override
    public Method<VolumeArgs, Void> method() {
      return GuestMethods.UNMOUNT_VOLUME;
    }

    @Override
    public Void handle(RequestContext context, VolumeArgs args) {
      return null;
    }
  }
}
