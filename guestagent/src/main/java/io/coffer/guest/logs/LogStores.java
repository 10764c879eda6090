package io.coffer.guest.logs;

import io.coffer.guest.config.GuestConfig;
import io.coffer.guest.datastore.GuestError;
import io.coffer.model.rpc.RequestContext;
import io.coffer.storage.BackupStorages;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** Where a guest's logs are published: the tenant's Swift account, or the filesystem storage. */
final class LogStores {

  private LogStores() {}

  /** The store of requests without an object store of their own: the filesystem storage. */
  static LogStore of(GuestConfig config) {
    if (io.coffer.storage.SwiftStorage.KIND.equals(config.backupStorage())) {
      // Trove publishes into the tenant's own Swift account, out of reach without its catalog
      throw new GuestError(
          "LogsNotAvailable",
          "Guest logs are published to the filesystem backup storage only; this instance's"
              + " backups go to Swift.");
    }
    return new FilesystemLogStore(projectRoot(config).resolve(GuestLogs.CONTAINER));
  }

  /** The project's directory of the filesystem storage: only the project's instances read it. */
  private static Path projectRoot(GuestConfig config) {
    return config
        .tenantId()
        .map(t -> config.backupPath().resolve(BackupStorages.projectDir(t)))
        .orElse(config.backupPath());
  }

  /** A value made when first needed. */
  private static final class Lazy<T> implements Supplier<T> {
    private final Supplier<T> make;
    private volatile T value;

    Lazy(Supplier<T> make) {
      this.make = make;
    }

    @Override
    public synchronized T get() {
      if (value == null) {
        value = make.get();
      }
      return value;
    }
  }

  /** {@code make}'s value, made when first needed. */
  static <T> Supplier<T> lazy(Supplier<T> make) {
    return new Lazy<>(make);
  }

  /**
   * The store of a request: the tenant's own Swift account when the request brings a token and a
   * catalog with an object store (a Keystone deployment, as Trove publishes), otherwise the
   * project's directory of the filesystem backup storage.
   */
  static Optional<LogStore> of(RequestContext context) {
    if (context == null || !(context.get("auth_token") instanceof String token)) {
      return Optional.empty();
    }
    if (!(context.get("service_catalog") instanceof List<?> catalog)) {
      return Optional.empty();
    }
    for (Object service : catalog) {
      if (service instanceof Map<?, ?> m
          && "object-store".equals(m.get("type"))
          && m.get("endpoints") instanceof List<?> endpoints) {
        for (Object e : endpoints) {
          if (e instanceof Map<?, ?> endpoint
              && "public".equals(endpoint.get("interface"))
              && endpoint.get("url") instanceof String url) {
            return Optional.of(new SwiftLogStore(url, token));
          }
        }
      }
    }
    return Optional.empty();
  }
}
