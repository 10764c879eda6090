package io.coffer.bus;

import io.coffer.model.rpc.Method;
import io.coffer.model.rpc.RequestContext;

/**
 * Handles one RPC method on a queue. Implementations are CDI beans; a {@link Dispatcher} routes
 * each decoded message to the handler of its method.
 *
 * <p>A handler that throws {@link PermanentFailure} has its message dead-lettered at once; any
 * other exception makes a cast be retried (up to {@link BusConfig#maxAttempts()}) and a call be
 * answered with a failure.
 *
 * @param <A> arguments record
 * @param <R> result type ({@link Void} for casts)
 */
public interface MessageHandler<A, R> {

  /** The method this handler serves. */
  Method<A, R> method();

  /** Does the work; the result is the call's reply. */
  R handle(RequestContext context, A args) throws Exception;
}
