package io.coffer.api.messaging;

import io.coffer.api.fault.CofferException;
import io.coffer.bus.BusClient;
import io.coffer.bus.BusException;
import io.coffer.bus.RemoteCallException;
import io.coffer.model.routing.Topics;
import io.coffer.model.rpc.Method;
import io.coffer.model.rpc.RequestContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Guest agent calls and casts from the API, each with its deadline. Whatever goes wrong on the way
 * (no reply in time, no guest queue, the guest raised) answers Trove's error: 400 {@code "An error
 * occurred communicating with the guest: …"}; a guest's not-found answers 404. Never a hang.
 */
@ApplicationScoped
public class GuestApi {

  private final BusClient bus;

  GuestApi(BusClient bus) {
    this.bus = bus;
  }

  /** Calls a guest method and returns its result. */
  public <A, R> R call(RequestContext context, String instanceId, Method<A, R> method, A args) {
    try {
      return bus.call(Topics.guest(instanceId), method, context, args);
    } catch (RemoteCallException e) {
      throw fromGuest(e);
    } catch (BusException e) {
      throw guestError(e.getMessage());
    }
  }

  /** Casts a guest method; the broker has it when this returns. */
  public <A> void cast(RequestContext context, String instanceId, Method<A, ?> method, A args) {
    try {
      bus.cast(Topics.guest(instanceId), method, context, args);
    } catch (BusException e) {
      throw guestError(e.getMessage());
    }
  }

  private static CofferException fromGuest(RemoteCallException e) {
    String cls = e.remoteClass() == null ? "" : e.remoteClass();
    String message = e.failure().message();
    if (cls.endsWith("NotFound")) {
      return CofferException.notFound(message);
    }
    if (cls.equals("BadRequest") || cls.equals("InvalidName") || cls.endsWith("AlreadyExists")) {
      return CofferException.badRequest(message);
    }
    return guestError(message);
  }

  private static CofferException guestError(String message) {
    String m = message == null ? "" : message.endsWith(".") ? message : message + ".";
    return CofferException.badRequest("An error occurred communicating with the guest: " + m);
  }
}
