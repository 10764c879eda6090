package io.coffer.guest.datastore;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The instance's data volume as the guest sees it. Where the instance's directory is a file system
 * of its own (the local driver's volume image, a Cinder volume), its usage is the file system's and
 * a volume with almost no space left is full: the database's writes fail until it is resized.
 * Elsewhere the allotted size is only bookkeeping and the guest measures its files against it.
 */
public final class DataVolume {

  /** Below this much free space (or 1 % of the volume, if more) the volume counts as full. */
  public static final long MIN_FREE = 32L * 1024 * 1024;

  private DataVolume() {}

  /** A volume's size and use in bytes; {@code enforced} when it is a file system of its own. */
  public record Usage(long totalBytes, long usedBytes, long freeBytes, boolean enforced) {

    /** Whether writes are failing or about to (only an enforced volume can be full). */
    public boolean full() {
      return enforced && freeBytes < Math.max(MIN_FREE, totalBytes / 100);
    }
  }

  /** Whether {@code home} is the root of a file system of its own (a mount point). */
  public static boolean ownFileSystem(Path home) {
    try {
      Path parent = home.toRealPath().getParent();
      return parent != null
          && !Files.getAttribute(home, "unix:dev").equals(Files.getAttribute(parent, "unix:dev"));
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  /** The usage of the file system {@code home} is the root of. */
  public static Usage of(Path home) throws IOException {
    FileStore store = Files.getFileStore(home);
    long total = store.getTotalSpace();
    long free = store.getUsableSpace();
    return new Usage(total, Math.max(0, total - free), free, true);
  }

  /** The usage of an allotment of {@code allottedBytes} of which {@code usedBytes} are in use. */
  public static Usage allotted(long allottedBytes, long usedBytes) {
    return new Usage(allottedBytes, usedBytes, Math.max(0, allottedBytes - usedBytes), false);
  }
}
