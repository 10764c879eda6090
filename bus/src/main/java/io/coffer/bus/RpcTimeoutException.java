package io.coffer.bus;

import java.time.Duration;

/** No reply to a call arrived before its deadline. */
public class RpcTimeoutException extends BusException {

  private final String method;
  private final Duration timeout;

  /** Creates the exception for a call to {@code topic}. */
  public RpcTimeoutException(String method, String topic, Duration timeout) {
    super(
        "Timed out waiting for a reply to "
            + method
            + " from "
            + topic
            + " after "
            + timeout.toSeconds()
            + " s");
    this.method = method;
    this.timeout = timeout;
  }

  /** The method called. */
  public String method() {
    return method;
  }

  /** The deadline that passed. */
  public Duration timeout() {
    return timeout;
  }
}
