package io.coffer.guest.datastore;

import java.nio.file.Path;
import java.util.List;

/** The logs a database engine writes that a tenant may turn on and publish (Trove's USER logs). */
public interface EngineLogs {

  /** A log: its name in the log API and the file the server writes it to. */
  record Log(String name, Path file) {}

  /** The engine's logs. */
  List<Log> logs();

  /** Whether the server writes {@code name} now. */
  boolean enabled(String name);

  /**
   * Turns {@code name} on or off on the running server, and for its later starts. Returns whether
   * the change waits for a restart.
   */
  boolean enable(String name, boolean on);
}
