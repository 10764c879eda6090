package io.coffer.guest.status;

import io.coffer.model.status.ServiceStatus;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The service status this guest reports while a lifecycle step runs (building, restarting, …);
 * {@code null} when the datastore manager's probe should decide.
 */
@ApplicationScoped
public class GuestStatus {

  private final AtomicReference<ServiceStatus> override = new AtomicReference<>(ServiceStatus.NEW);

  /** The status set by the running lifecycle step, or {@code null}. */
  public ServiceStatus override() {
    return override.get();
  }

  /** Reports {@code status} until {@link #probe()} is called. */
  public void set(ServiceStatus status) {
    override.set(status);
  }

  /** Lets the probe decide again. */
  public void probe() {
    override.set(null);
  }
}
