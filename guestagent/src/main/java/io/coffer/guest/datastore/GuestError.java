package io.coffer.guest.datastore;

import io.coffer.bus.BusConsumers;

/**
 * A failure the guest reports to its caller under one of Trove's exception names ({@code
 * GuestError}, {@code BadRequest}, {@code UserNotFound}, …), so the API can answer the right fault.
 */
public class GuestError extends RuntimeException implements BusConsumers.RemoteFailureSource {

  private final String remoteClass;

  /** Creates the error with Trove's class name. */
  public GuestError(String remoteClass, String message) {
    super(message);
    this.remoteClass = remoteClass;
  }

  /** Creates a generic {@code GuestError} with its cause. */
  public GuestError(String message, Throwable cause) {
    super(message, cause);
    this.remoteClass = "GuestError";
  }

  /** A {@code BadRequest}. */
  public static GuestError badRequest(String message) {
    return new GuestError("BadRequest", message);
  }

  /** A not-found error, e.g. {@code UserNotFound}. */
  public static GuestError notFound(String what, String message) {
    return new GuestError(what + "NotFound", message);
  }

  @Override
  public String remoteClass() {
    return remoteClass;
  }
}
