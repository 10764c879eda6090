package io.coffer.bus;

import io.coffer.model.rpc.RemoteFailure;

/** The remote side of a call raised; its failure is attached. */
public class RemoteCallException extends BusException {

  private final transient RemoteFailure failure;

  /** Creates the exception from a reply's failure. */
  public RemoteCallException(String method, RemoteFailure failure) {
    super(method + " failed: " + failure.message());
    this.failure = failure;
  }

  /** The remote failure. */
  public RemoteFailure failure() {
    return failure;
  }

  /** The remote exception class, e.g. {@code GuestError}. */
  public String remoteClass() {
    return failure.className();
  }
}
