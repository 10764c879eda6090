package io.coffer.storage;

import io.coffer.storage.openstack.OpenStackAccount;
import io.coffer.storage.openstack.OpenStackSession;
import java.io.IOException;
import java.nio.file.Path;

/** Creates the configured backup storage. */
public final class BackupStorages {

  private BackupStorages() {}

  /**
   * The storage of this kind.
   *
   * @param kind {@code filesystem} (see {@link #swift} for Swift)
   * @param path the directory of the filesystem storage
   */
  public static BackupStorage create(String kind, Path path) throws IOException {
    if ("filesystem".equals(kind)) {
      return new FilesystemStorage(path);
    }
    if (SwiftStorage.KIND.equals(kind)) {
      throw new IllegalArgumentException(
          "the swift backup storage needs its account: use BackupStorages.swift");
    }
    throw new IllegalArgumentException(
        "unknown backup storage '" + kind + "' (this release has: filesystem, swift)");
  }

  /**
   * The Swift storage of an account.
   *
   * @param account the account owning the containers
   * @param container the container of the backups
   * @param segmentBytes size of uploaded segments
   */
  public static BackupStorage swift(OpenStackAccount account, String container, int segmentBytes) {
    return new SwiftStorage(new OpenStackSession(account), container, segmentBytes);
  }
}
