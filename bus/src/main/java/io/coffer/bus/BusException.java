package io.coffer.bus;

/** A message could not be sent or answered: the caller sees it, nothing is silently lost. */
public class BusException extends RuntimeException {

  /** Creates the exception. */
  public BusException(String message) {
    super(message);
  }

  /** Creates the exception with its cause. */
  public BusException(String message, Throwable cause) {
    super(message, cause);
  }
}
