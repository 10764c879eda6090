package io.coffer.guest.datastore;

import io.coffer.model.guest.FilesystemStats;
import io.coffer.model.guest.PrepareArgs;
import io.coffer.model.status.ServiceStatus;

/** The database server's life: prepare, status, restart, stop, its volume. One per engine. */
public interface ServerLifecycle {

  /** Sets the server up (idempotent: a prepared server is only started), from a backup if given. */
  void prepare(PrepareArgs args);

  /** The status to report now. */
  ServiceStatus status();

  /** Restarts the server and waits until it is healthy. */
  void restart();

  /** Stops the server. */
  void stop();

  /** Starts the server with a new main configuration. */
  void startWithConfiguration(String configContents);

  /** Size and usage of the data volume. */
  FilesystemStats filesystemStats();

  /** The volume grew to {@code sizeGb}. */
  void resizeVolume(int sizeGb);
}
