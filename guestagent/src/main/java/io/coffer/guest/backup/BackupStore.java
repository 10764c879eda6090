package io.coffer.guest.backup;

import io.coffer.guest.config.GuestConfig;
import io.coffer.guest.datastore.GuestError;
import io.coffer.storage.BackupStorage;
import io.coffer.storage.BackupStorages;
import io.coffer.storage.SwiftStorage;
import io.coffer.storage.openstack.OpenStackAccount;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;

/** The backup storage of this guest, opened when first needed. */
@ApplicationScoped
public class BackupStore {

  private final GuestConfig config;
  private volatile BackupStorage storage;

  BackupStore(GuestConfig config) {
    this.config = config;
  }

  /** The storage. */
  public BackupStorage get() {
    BackupStorage s = storage;
    if (s == null) {
      synchronized (this) {
        if (storage == null) {
          try {
            // on the filesystem, this project's directory: its backups, readable by its instances
            storage =
                SwiftStorage.KIND.equals(config.backupStorage())
                    ? swift(config.backupSwift())
                    : BackupStorages.create(
                        config.backupStorage(),
                        config
                            .tenantId()
                            .map(t -> config.backupPath().resolve(BackupStorages.projectDir(t)))
                            .orElse(config.backupPath()));
          } catch (IOException | IllegalArgumentException e) {
            throw new GuestError("the backup storage is not usable: " + e.getMessage(), e);
          }
        }
        s = storage;
      }
    }
    return s;
  }

  private static BackupStorage swift(GuestConfig.BackupSwift s) {
    return BackupStorages.swift(
        new OpenStackAccount(
            required(s.authUrl(), "auth-url"),
            required(s.username(), "username"),
            required(s.password(), "password"),
            s.userDomain(),
            required(s.project(), "project"),
            s.projectDomain(),
            s.region(),
            s.endpointInterface()),
        s.container(),
        s.segmentBytes());
  }

  private static String required(java.util.Optional<String> v, String key) {
    return v.filter(x -> !x.isBlank())
        .orElseThrow(
            () -> new IllegalArgumentException("coffer.guest.backup-swift." + key + " is not set"));
  }
}
