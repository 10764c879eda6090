package io.coffer.taskmanager.messaging;

import io.coffer.bus.BusClient;
import io.coffer.model.guest.GuestMethods;
import io.coffer.model.routing.Topics;
import io.coffer.model.rpc.NoArgs;
import io.coffer.model.rpc.RequestContext;
import jakarta.enterprise.context.ApplicationScoped;

/** The guest agent's API as the taskmanager uses it (Trove's {@code guestagent/api.py}). */
@ApplicationScoped
public class GuestClient {

  private final BusClient bus;

  GuestClient(BusClient bus) {
    this.bus = bus;
  }

  /** Asks the guest agent of an instance whether it is alive. */
  public boolean ping(RequestContext context, String instanceId) {
    return Boolean.TRUE.equals(
        bus.call(Topics.guest(instanceId), GuestMethods.RPC_PING, context, NoArgs.INSTANCE));
  }
}
