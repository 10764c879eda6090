package io.coffer.model.rpc;

/** How a method travels on the bus, as in oslo.messaging. */
public enum MethodKind {
  /** Fire and forget: the sender does not wait for a result. */
  CAST,
  /** Request/reply: the sender waits for a reply on its reply queue, up to a deadline. */
  CALL
}
