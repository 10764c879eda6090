package io.coffer.guest.datastore;

import io.coffer.guest.heartbeat.ConductorClient;
import io.coffer.model.guest.FilesystemStats;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * The instance's data volume seen from its engine: its size, usage and whether it is full. The
 * first time it is full the instance gets a fault saying so (once per episode: a resize that frees
 * space ends it). Shared by every engine.
 */
public final class VolumeWatch {

  /** What the tenant reads when the data volume is full. */
  public static final String VOLUME_FULL =
      "The data volume is full: writes fail until the volume is resized.";

  private static final Logger LOG = Logger.getLogger(VolumeWatch.class);
  private static final double GB = 1024.0 * 1024 * 1024;

  private final Path home;
  private final AtomicInteger volumeGb;
  private final ConductorClient conductor;
  private final AtomicBoolean fullReported = new AtomicBoolean();

  /** Watches the volume mounted (or allotted) at {@code home}, of {@code volumeGb} GB. */
  public VolumeWatch(Path home, int volumeGb, ConductorClient conductor) {
    this.home = home;
    this.volumeGb = new AtomicInteger(volumeGb);
    this.conductor = conductor;
  }

  /** The allotted size in GB. */
  public int sizeGb() {
    return volumeGb.get();
  }

  /** The volume grew (or was allotted) to {@code gb}. */
  public void resized(int gb) {
    volumeGb.set(gb);
  }

  /** Whether the volume is full, reporting the fault the first time. */
  public boolean full() {
    if (!DataVolume.ownFileSystem(home)) {
      return false;
    }
    DataVolume.Usage u;
    try {
      u = DataVolume.of(home);
    } catch (IOException e) {
      LOG.warnf("cannot measure the data volume: %s", e.getMessage());
      return false;
    }
    if (!u.full()) {
      if (fullReported.compareAndSet(true, false)) {
        LOG.info("the data volume has room again");
      }
      return false;
    }
    if (fullReported.compareAndSet(false, true)) {
      LOG.warnf("the data volume is full: %d bytes free of %d", u.freeBytes(), u.totalBytes());
      try {
        conductor.fault(
            VOLUME_FULL,
            "The data volume ("
                + volumeGb.get()
                + " GB) has "
                + u.freeBytes() / (1024 * 1024)
                + " MB free of "
                + u.totalBytes() / (1024 * 1024)
                + " MB; the database server cannot write (No space left on device).");
      } catch (RuntimeException e) {
        fullReported.set(false);
        LOG.warnf("volume full fault not reported: %s", e.getMessage());
      }
    }
    return true;
  }

  /**
   * Size and usage: a volume of its own answers with its file system's; otherwise the files ({@code
   * usedBytes}) count against the allotment.
   */
  public FilesystemStats stats(LongSupplier usedBytes) {
    try {
      DataVolume.Usage u =
          DataVolume.ownFileSystem(home)
              ? DataVolume.of(home)
              : DataVolume.allotted((long) (volumeGb.get() * GB), usedBytes.getAsLong());
      long block = 4096;
      return new FilesystemStats(
          block,
          u.totalBytes() / block,
          u.freeBytes() / block,
          round2(u.totalBytes() / GB),
          u.freeBytes(),
          round2(u.usedBytes() / GB));
    } catch (IOException e) {
      throw new GuestError("cannot measure the data volume", e);
    }
  }

  private static double round2(double v) {
    return Math.round(v * 100) / 100.0;
  }

  /** Bytes of the regular files under {@code dir}. */
  public static long usedBytes(Path dir) {
    try (var files = java.nio.file.Files.walk(dir)) {
      return files
          .filter(java.nio.file.Files::isRegularFile)
          .mapToLong(
              f -> {
                try {
                  return java.nio.file.Files.size(f);
                } catch (IOException e) {
                  return 0;
                }
              })
          .sum();
    } catch (IOException | java.io.UncheckedIOException e) {
      return 0;
    }
  }
}
