package io.coffer.guest.backup;

import io.coffer.guest.config.GuestConfig;
import io.coffer.guest.datastore.GuestError;
import io.coffer.storage.BackupStorage;
import io.coffer.storage.BackupStorages;
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
            storage = BackupStorages.create(config.backupStorage(), config.backupPath());
          } catch (IOException | IllegalArgumentException e) {
            throw new GuestError("the backup storage is not usable: " + e.getMessage(), e);
          }
        }
        s = storage;
      }
    }
    return s;
  }
}
