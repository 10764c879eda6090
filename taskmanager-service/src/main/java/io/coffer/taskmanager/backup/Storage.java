package io.coffer.taskmanager.backup;

import io.coffer.storage.BackupStorage;
import io.coffer.storage.BackupStorages;
import io.coffer.storage.SwiftStorage;
import io.coffer.storage.openstack.OpenStackAccount;
import io.coffer.taskmanager.config.TaskManagerConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;

/**
 * The backup storage as the taskmanager sees it: it creates the directory the guests write to
 * (owned by the guests' OS user when running as root, private to it), deletes backups, and tells
 * the guests where it is.
 */
@ApplicationScoped
public class Storage {

  private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

  private final TaskManagerConfig config;
  private volatile BackupStorage storage;

  Storage(TaskManagerConfig config) {
    this.config = config;
  }

  void onStart(@Observes StartupEvent event) {
    // the guests write there as soon as they take a backup: it must exist, owned by them
    try {
      get();
    } catch (IOException | RuntimeException e) {
      Log.errorf("the %s backup storage is not usable: %s", kind(), e.getMessage());
    }
  }

  /** The directory of the filesystem storage. */
  public Path path() {
    return config
        .backup()
        .path()
        .orElseGet(
            () ->
                ROOT
                    ? Path.of("/var/lib/coffer/backups")
                    : Path.of(
                        System.getProperty(
                            "coffer.home", System.getProperty("user.home") + "/.coffer"),
                        "backups"));
  }

  /** The Swift storage's settings. */
  public TaskManagerConfig.Backup.Swift swift() {
    return config.backup().swift();
  }

  /** The account of the Swift storage (guests upload with it too). */
  public OpenStackAccount swiftAccount() {
    TaskManagerConfig.Backup.Swift s = swift();
    return new OpenStackAccount(
        required(s.authUrl(), "auth-url"),
        required(s.username(), "username"),
        required(s.password(), "password"),
        s.userDomain(),
        required(s.project(), "project"),
        s.projectDomain(),
        s.region(),
        s.endpointInterface());
  }

  private static String required(java.util.Optional<String> v, String key) {
    return v.filter(x -> !x.isBlank())
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "coffer.taskmanager.backup.swift."
                        + key
                        + " is required by the swift storage"));
  }

  /** The storage kind. */
  public String kind() {
    return config.backup().storage();
  }

  /** The storage, its directory created on first use. */
  public BackupStorage get() throws IOException {
    BackupStorage s = storage;
    if (s == null) {
      synchronized (this) {
        if (storage == null && SwiftStorage.KIND.equals(kind())) {
          storage =
              BackupStorages.swift(swiftAccount(), swift().container(), swift().segmentBytes());
        }
        if (storage == null) {
          Path dir = path();
          Files.createDirectories(dir);
          Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
          if (ROOT) {
            UserPrincipal user =
                dir.getFileSystem()
                    .getUserPrincipalLookupService()
                    .lookupPrincipalByName(config.local().runAs());
            Files.setOwner(dir, user);
          }
          storage = BackupStorages.create(kind(), dir);
        }
        s = storage;
      }
    }
    return s;
  }
}
