package io.coffer.guest.status;

import io.coffer.model.status.ServiceStatus;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The service status this guest reports. Lifecycle operations set it (building, restarting, …);
 * once the database server is prepared, each heartbeat probes the server instead.
 */
@ApplicationScoped
public class GuestStatus {

  private final AtomicReference<ServiceStatus> current = new AtomicReference<>(ServiceStatus.NEW);

  /** The status set by the last lifecycle step. */
  public ServiceStatus current() {
    return current.get();
  }

  /** Sets the status. */
  public void set(ServiceStatus status) {
    current.set(status);
  }
}
