package io.coffer.guest.datastore;

import io.coffer.model.common.BackupInfo;

/** Backups of the server. One per engine. */
public interface BackupAgent {

  /**
   * Starts a backup in the background and returns at once; its progress and result go to the
   * conductor ({@code update_backup}).
   */
  void createBackup(BackupInfo backup);
}
