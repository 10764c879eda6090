package io.coffer.guest.datastore;

import io.coffer.guest.config.GuestConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Refuses to run for a datastore manager this guest agent has no engine for: it exits at once, and
 * the control plane sees an instance whose guest never reports.
 */
@ApplicationScoped
class SupportedManagers {

  void check(@Observes @Priority(1) StartupEvent event, GuestConfig config, Datastore datastore) {
    if (!datastore.available()) {
      // failing the startup stops the guest before it takes any message from its queue
      throw new IllegalStateException(
          "datastore manager "
              + config.datastoreManager()
              + " is not supported by this guest agent (supported: "
              + String.join(", ", datastore.supported())
              + ")");
    }
  }
}
