package io.coffer.guest.heartbeat;

import io.coffer.bus.BusException;
import io.coffer.guest.datastore.Datastore;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/** Sends the guest's probed status to the conductor every heartbeat interval. */
@ApplicationScoped
class HeartbeatReporter {

  private final ConductorClient conductor;
  private final Datastore datastore;

  HeartbeatReporter(ConductorClient conductor, Datastore datastore) {
    this.conductor = conductor;
    this.datastore = datastore;
  }

  @Scheduled(
      every = "${coffer.guest.heartbeat-interval}",
      delayed = "1s",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void report() {
    try {
      conductor.heartbeat(datastore.lifecycle().status());
    } catch (BusException e) {
      Log.warnf("heartbeat not sent: %s", e.getMessage());
    }
  }
}
