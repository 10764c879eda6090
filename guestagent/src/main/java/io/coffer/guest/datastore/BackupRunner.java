package io.coffer.guest.datastore;

import io.coffer.guest.heartbeat.ConductorClient;
import io.coffer.model.common.BackupInfo;
import io.coffer.model.status.BackupState;
import io.coffer.storage.BackupStorage;
import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Runs an engine's backups one at a time beside the RPC threads, and tells the conductor how each
 * goes (BUILDING, then COMPLETED with size, checksum and location, or FAILED with the reason).
 */
public final class BackupRunner implements BackupAgent {

  /** What an engine does to take a backup. */
  public interface Work {
    /** Streams a full backup into the storage. */
    BackupStorage.Stored full(String container, String id) throws IOException;

    /** Streams an incremental backup on top of {@code parent}. */
    BackupStorage.Stored incremental(String container, String id, BackupInfo.ParentBackup parent)
        throws IOException;

    /** Removes what a failed backup left in the storage. */
    void discard(String container, String id) throws IOException;

    /** A backup was stored: what it made unnecessary may go (e.g. archived WAL). */
    default void taken(String location) throws IOException {}
  }

  private static final Logger LOG = Logger.getLogger(BackupRunner.class);
  private static final double GB = 1024.0 * 1024 * 1024;

  private final Work work;
  private final ConductorClient conductor;
  private final ExecutorService thread =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "coffer-backup");
            t.setDaemon(true);
            return t;
          });
  private final AtomicReference<String> running = new AtomicReference<>();

  /** A runner of {@code work}. */
  public BackupRunner(Work work, ConductorClient conductor) {
    this.work = work;
    this.conductor = conductor;
  }

  /** Whether a backup runs now. */
  public boolean busy() {
    return running.get() != null;
  }

  @Override
  public void createBackup(BackupInfo info) {
    if (!running.compareAndSet(null, info.id())) {
      if (info.id().equals(running.get())) {
        LOG.infof("backup %s is running already (message delivered again)", info.id());
        return;
      }
      LOG.warnf("backup %s refused: backup %s is running", info.id(), running.get());
      conductor.updateBackup(
          info.id(), BackupState.FAILED, null, null, null, null, "another backup is running");
      return;
    }
    try {
      thread.execute(
          () -> {
            try {
              backup(info);
            } finally {
              running.set(null);
            }
          });
    } catch (RuntimeException e) {
      running.set(null);
      throw e;
    }
  }

  private void backup(BackupInfo info) {
    boolean incremental = info.parent() != null;
    String type = incremental ? "incremental" : "full";
    long start = System.nanoTime();
    try {
      conductor.updateBackup(info.id(), BackupState.BUILDING, null, type, null, null, null);
      String container = info.swiftContainer();
      BackupStorage.Stored stored =
          incremental
              ? work.incremental(container, info.id(), info.parent())
              : work.full(container, info.id());
      double seconds = Math.max(1e-3, (System.nanoTime() - start) / 1e9);
      LOG.infof(
          "backup %s (%s): %d bytes in %.1f s (%.0f MB/s)",
          info.id(), type, stored.bytes(), seconds, stored.bytes() / 1e6 / seconds);
      try {
        work.taken(stored.location());
      } catch (IOException | RuntimeException e) {
        LOG.warnf("after backup %s: %s", info.id(), e.getMessage());
      }
      conductor.updateBackup(
          info.id(),
          BackupState.COMPLETED,
          stored.bytes() / GB,
          type,
          stored.checksum(),
          stored.location(),
          null);
    } catch (IOException | RuntimeException e) {
      String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      LOG.errorf("backup %s failed: %s", info.id(), reason);
      try {
        work.discard(info.swiftContainer(), info.id());
      } catch (IOException | RuntimeException cleanup) {
        LOG.warnf("backup %s: partial data not removed: %s", info.id(), cleanup.getMessage());
      }
      try {
        conductor.updateBackup(
            info.id(),
            BackupState.FAILED,
            null,
            type,
            null,
            null,
            reason.length() > 500 ? reason.substring(0, 500) : reason);
      } catch (RuntimeException report) {
        LOG.warnf("backup %s: failure not reported: %s", info.id(), report.getMessage());
      }
    }
  }
}
