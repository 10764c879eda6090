package io.coffer.storage;

import io.coffer.storage.openstack.OpenStackAccount;
import io.coffer.storage.openstack.OpenStackSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
   * The directory of a project's backups inside the filesystem storage: its id when that is a safe
   * name (Keystone's are 32 hex digits), else a digest of it. Each project's backups live apart, so
   * that file permissions can keep one project's instances out of another's.
   */
  public static String projectDir(String project) {
    if (project == null || project.isEmpty()) {
      throw new IllegalArgumentException("a project is needed");
    }
    if (project.matches("[A-Za-z0-9][A-Za-z0-9_-]{0,63}")) {
      return project;
    }
    return "p-"
        + java.util.HexFormat.of()
            .formatHex(Checksums.sha256().digest(project.getBytes(StandardCharsets.UTF_8)))
            .substring(0, 40);
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
