package io.coffer.model.rpc;

/**
 * A message that cannot be decoded: not JSON, not an oslo.messaging envelope, no method, or
 * arguments that do not fit the method's record. Consumers dead-letter such messages.
 */
public class MalformedMessageException extends RuntimeException {

  /** Creates the exception with a reason fit for the dead-letter queue. */
  public MalformedMessageException(String reason) {
    super(reason);
  }

  /** Creates the exception with a reason and its cause. */
  public MalformedMessageException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
