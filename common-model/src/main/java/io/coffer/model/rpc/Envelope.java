package io.coffer.model.rpc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * One oslo.messaging message: the inner message of the {@code {"oslo.version": "2.0",
 * "oslo.message": "…"}} envelope. Calls carry a message id and a reply queue; casts carry neither.
 *
 * <p>{@link #toString()} leaves out the arguments, which may hold passwords.
 *
 * @param method Trove's method name
 * @param args the keyword arguments
 * @param version message version, e.g. {@code 1.0}
 * @param uniqueId {@code _unique_id}: hex uuid used for duplicate suppression
 * @param context the flattened {@code _context_*} entries
 * @param msgId {@code _msg_id} of a call, else {@code null}
 * @param replyQueue {@code _reply_q} of a call, else {@code null}
 */
public record Envelope(
    String method,
    ObjectNode args,
    String version,
    String uniqueId,
    RequestContext context,
    String msgId,
    String replyQueue) {

  /** Checks the fields every message has. */
  public Envelope {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(args, "args");
    Objects.requireNonNull(context, "context");
  }

  /** True for a call (a reply is expected). */
  public boolean isCall() {
    return msgId != null && replyQueue != null;
  }

  @Override
  public String toString() {
    return "Envelope[method="
        + method
        + ", version="
        + version
        + ", uniqueId="
        + uniqueId
        + ", msgId="
        + msgId
        + ", requestId="
        + context.requestId()
        + "]";
  }
}
