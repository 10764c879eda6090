package io.coffer.api.messaging;

import io.coffer.api.fault.CofferException;
import io.coffer.bus.BusClient;
import io.coffer.bus.BusException;
import io.coffer.bus.RemoteCallException;
import io.coffer.model.routing.Topics;
import io.coffer.model.rpc.Method;
import io.coffer.model.rpc.RequestContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.SystemException;
import jakarta.transaction.TransactionManager;

/**
 * Guest agent calls and casts from the API, each with its deadline, never inside a database
 * transaction (a call waits on the bus, and a transaction would hold a pooled connection and its
 * locks meanwhile: such a call is a programming error and refused). Whatever goes wrong on the way
 * (no reply in time, no guest queue, the guest raised) answers Trove's error: 400 {@code "An error
 * occurred communicating with the guest: …"}; a guest's not-found answers 404. Never a hang.
 */
@ApplicationScoped
public class GuestApi {

  private final BusClient bus;
  private final TransactionManager transactions;

  GuestApi(BusClient bus, TransactionManager transactions) {
    this.bus = bus;
    this.transactions = transactions;
  }

  /** Calls a guest method and returns its result. */
  public <A, R> R call(RequestContext context, String instanceId, Method<A, R> method, A args) {
    outsideTransaction(method);
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
    outsideTransaction(method);
    try {
      bus.cast(Topics.guest(instanceId), method, context, args);
    } catch (BusException e) {
      throw guestError(e.getMessage());
    }
  }

  private void outsideTransaction(Method<?, ?> method) {
    int status;
    try {
      status = transactions.getStatus();
    } catch (SystemException e) {
      throw new IllegalStateException("transaction status unknown", e);
    }
    if (status != Status.STATUS_NO_TRANSACTION) {
      throw new IllegalStateException(
          "guest method " + method.name() + " called inside a database transaction");
    }
  }

  private static CofferException fromGuest(RemoteCallException e) {
    String cls = e.remoteClass() == null ? "" : e.remoteClass();
    String message = e.failure().message();
    if (cls.equals("LogsNotAvailable")) {
      return CofferException.notImplemented(message);
    }
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
