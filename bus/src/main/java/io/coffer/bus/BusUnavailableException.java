package io.coffer.bus;

/** The broker cannot be reached right now. */
public class BusUnavailableException extends BusException {

  /** Creates the exception. */
  public BusUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
