package io.coffer.guest.heartbeat;

import io.coffer.bus.BusException;
import io.coffer.guest.status.GuestStatus;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/** Sends the guest's status to the conductor every heartbeat interval. */
@ApplicationScoped
class HeartbeatReporter {

  private final ConductorClient conductor;
  private final GuestStatus status;

  HeartbeatReporter(ConductorClient conductor, GuestStatus status) {
    this.conductor = conductor;
    this.status = status;
  }

  @Scheduled(
      every = "${coffer.guest.heartbeat-interval}",
      delayed = "1s",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void report() {
    try {
      conductor.heartbeat(status.current());
    } catch (BusException e) {
      Log.warnf("heartbeat not sent: %s", e.getMessage());
    }
  }
}
