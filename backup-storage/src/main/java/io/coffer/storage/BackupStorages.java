package io.coffer.storage;

import java.io.IOException;
import java.nio.file.Path;

/** Creates the configured backup storage. */
public final class BackupStorages {

  private BackupStorages() {}

  /**
   * The storage of this kind.
   *
   * @param kind {@code filesystem}
   * @param path the directory of the filesystem storage
   */
  public static BackupStorage create(String kind, Path path) throws IOException {
    if ("filesystem".equals(kind)) {
      return new FilesystemStorage(path);
    }
    throw new IllegalArgumentException(
        "unknown backup storage '" + kind + "' (this release has: filesystem)");
  }
}
