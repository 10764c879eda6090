package io.coffer.model.status;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/** States of a backup ({@code backups.state}), with Trove's names. */
public enum BackupState {
  NEW,
  BUILDING,
  SAVING,
  COMPLETED,
  FAILED,
  DELETE_FAILED,
  RESTORED;

  /** States of a backup still being taken. */
  public static final Set<BackupState> RUNNING = EnumSet.of(NEW, BUILDING, SAVING);

  /** States from which an instance can be restored. */
  public static final Set<BackupState> RESTORABLE = EnumSet.of(COMPLETED, RESTORED);

  /** True while the backup is being taken. */
  public boolean isRunning() {
    return RUNNING.contains(this);
  }

  /** The state with this name. */
  public static Optional<BackupState> fromName(String name) {
    if (name == null) {
      return Optional.empty();
    }
    for (BackupState s : values()) {
      if (s.name().equalsIgnoreCase(name)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}
