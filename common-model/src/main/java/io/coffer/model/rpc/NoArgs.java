package io.coffer.model.rpc;

/** Arguments of a method that takes none: {@code "args": {}} on the wire. */
public record NoArgs() {

  /** The single value. */
  public static final NoArgs INSTANCE = new NoArgs();
}
