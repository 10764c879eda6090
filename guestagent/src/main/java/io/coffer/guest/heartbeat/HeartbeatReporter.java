package io.coffer.guest.heartbeat;

import io.coffer.bus.BusException;
import io.coffer.guest.datastore.DatastoreManager;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/** Sends the guest's probed status to the conductor every heartbeat interval. */
@ApplicationScoped
class HeartbeatReporter {

  private final ConductorClient conductor;
  private final DatastoreManager manager;

  HeartbeatReporter(ConductorClient conductor, DatastoreManager manager) {
    this.conductor = conductor;
    this.manager = manager;
  }

  @Scheduled(
      every = "${coffer.guest.heartbeat-interval}",
      delayed = "1s",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void report() {
    try {
      conductor.heartbeat(manager.status());
    } catch (BusException e) {
      Log.warnf("heartbeat not sent: %s", e.getMessage());
    }
  }
}
