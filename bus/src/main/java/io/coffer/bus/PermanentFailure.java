package io.coffer.bus;

/**
 * Thrown by a handler for a message that can never succeed (unknown instance, invalid arguments):
 * the message goes to the dead-letter queue at once instead of being retried.
 */
public class PermanentFailure extends RuntimeException {

  /** Creates the failure with the reason recorded on the dead letter. */
  public PermanentFailure(String reason) {
    super(reason);
  }

  /** Creates the failure with its cause. */
  public PermanentFailure(String reason, Throwable cause) {
    super(reason, cause);
  }
}
