package io.coffer.guest.datastore;

import io.coffer.guest.heartbeat.ConductorClient;
import io.coffer.guest.status.GuestStatus;
import io.coffer.model.status.ServiceStatus;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** What every engine tells the conductor besides heartbeats: a status now, a failed prepare. */
@ApplicationScoped
public class GuestReports {

  private static final Logger LOG = Logger.getLogger(GuestReports.class);

  private final ConductorClient conductor;
  private final GuestStatus status;

  GuestReports(ConductorClient conductor, GuestStatus status) {
    this.conductor = conductor;
    this.status = status;
  }

  /** Sends {@code current} now instead of at the next heartbeat. */
  public void report(ServiceStatus current) {
    try {
      conductor.heartbeat(current);
    } catch (RuntimeException e) {
      LOG.warnf("status report not sent: %s", e.getMessage());
    }
  }

  /**
   * Marks the instance failed and tells the conductor why: the tenant reads which step failed, the
   * administrators the cause (the server's error line, the failing program's output).
   */
  public void prepareFailed(String step, Exception e) {
    status.set(ServiceStatus.FAILED);
    String cause = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    try {
      conductor.fault(
          "The guest agent could not set up the database (" + step + " failed).",
          step + ": " + (cause.length() > 2000 ? cause.substring(0, 2000) : cause));
    } catch (RuntimeException report) {
      LOG.warnf("the failure was not reported: %s", report.getMessage());
    }
  }
}
