package io.coffer.model.rpc;

import java.util.Objects;

/**
 * A Trove RPC method: its wire name, the record that carries its keyword arguments, the type of its
 * result (calls only), whether it is a cast or a call, its deadline class and the message version
 * its senders stamp.
 *
 * @param name the method name on the wire, e.g. {@code create_instance}
 * @param argsType record whose JSON form is the {@code args} object
 * @param resultType type of the call result ({@link Void} for casts)
 * @param kind cast or call
 * @param timeout deadline class of a call ({@link TimeoutClass#NONE} for casts)
 * @param version message version, {@code 1.0} unless Trove sends another
 * @param <A> arguments record
 * @param <R> result type
 */
public record Method<A, R>(
    String name,
    Class<A> argsType,
    Class<R> resultType,
    MethodKind kind,
    TimeoutClass timeout,
    String version) {

  /** Trove's default message version. */
  public static final String DEFAULT_VERSION = "1.0";

  /** Validates the pairing of kind and deadline. */
  public Method {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(argsType, "argsType");
    Objects.requireNonNull(resultType, "resultType");
    Objects.requireNonNull(version, "version");
    if ((kind == MethodKind.CAST) != (timeout == TimeoutClass.NONE)) {
      throw new IllegalArgumentException(name + ": casts have no deadline, calls must have one");
    }
  }

  /** A cast with version {@code 1.0}. */
  public static <A> Method<A, Void> cast(String name, Class<A> argsType) {
    return cast(name, argsType, DEFAULT_VERSION);
  }

  /** A cast with an explicit message version. */
  public static <A> Method<A, Void> cast(String name, Class<A> argsType, String version) {
    return new Method<>(name, argsType, Void.class, MethodKind.CAST, TimeoutClass.NONE, version);
  }

  /** A call with version {@code 1.0}. */
  public static <A, R> Method<A, R> call(
      String name, Class<A> argsType, Class<R> resultType, TimeoutClass timeout) {
    return call(name, argsType, resultType, timeout, DEFAULT_VERSION);
  }

  /** A call with an explicit message version. */
  public static <A, R> Method<A, R> call(
      String name, Class<A> argsType, Class<R> resultType, TimeoutClass timeout, String version) {
    return new Method<>(name, argsType, resultType, MethodKind.CALL, timeout, version);
  }

  /** True for request/reply methods. */
  public boolean isCall() {
    return kind == MethodKind.CALL;
  }
}
