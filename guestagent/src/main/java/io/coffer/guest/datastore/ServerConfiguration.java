package io.coffer.guest.datastore;

import java.util.Map;

/** A configuration group's values on the server. One per engine. */
public interface ServerConfiguration {

  /** Writes (or, with {@code remove}, clears) the configuration group's values. */
  void updateOverrides(Map<String, Object> overrides, boolean remove);

  /** Applies the written values to the running server (those that need no restart). */
  void applyOverrides();
}
