package io.coffer.guest.rpc;

import io.coffer.bus.BusConsumers;
import io.coffer.bus.ConsumerSpec;
import io.coffer.bus.Dispatcher;
import io.coffer.bus.MessageHandler;
import io.coffer.guest.config.GuestConfig;
import io.coffer.guest.heartbeat.ConductorClient;
import io.coffer.model.notification.DbaasNotification;
import io.coffer.model.routing.Topics;
import io.coffer.model.rpc.Method;
import io.coffer.model.rpc.RequestContext;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import java.util.Map;

/**
 * Consumes this instance's queue, {@code guestagent.<instance-id>}. The handlers are the guest's
 * allow-list: a message naming any other method is refused and dead-lettered. A failing cast is not
 * retried (the guest reports its failure itself); a failing call is answered with a failure.
 */
@ApplicationScoped
class GuestEndpoint {

  private final BusConsumers consumers;
  private final GuestConfig config;
  private final Instance<MessageHandler<?, ?>> handlers;
  private final ConductorClient conductor;

  GuestEndpoint(
      BusConsumers consumers,
      GuestConfig config,
      @Any Instance<MessageHandler<?, ?>> handlers,
      ConductorClient conductor) {
    this.consumers = consumers;
    this.config = config;
    this.handlers = handlers;
    this.conductor = conductor;
  }

  void onStart(@Observes StartupEvent event) {
    consumers.start(
        new ConsumerSpec(Topics.guest(config.instanceId()), config.consumers(), 1, false),
        new Dispatcher(handlers.stream().map(this::notifying).toList()));
  }

  /**
   * A handler that ends the {@code dbaas.*} notification its request carries (Trove's guest-side
   * EndNotification): {@code notify_end} when the work is done, {@code notify_exc_info} with the
   * reason when it failed.
   */
  private <A, R> MessageHandler<A, R> notifying(MessageHandler<A, R> handler) {
    return new MessageHandler<>() {
      @Override
      public Method<A, R> method() {
        return handler.method();
      }

      @Override
      public R handle(RequestContext context, A args) throws Exception {
        Map<String, Object> notification = notificationOf(context);
        R result;
        try {
          result = handler.handle(context, args);
        } catch (Exception e) {
          if (notification != null) {
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            conductor.notifyError(
                notification, message, e.getClass().getSimpleName() + ": " + message);
          }
          throw e;
        }
        if (notification != null) {
          conductor.notifyEnd(notification);
        }
        return result;
      }
    };
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> notificationOf(RequestContext context) {
    Object n = context == null ? null : context.get(DbaasNotification.CONTEXT_KEY);
    return n instanceof Map<?, ?> m && DbaasNotification.action((Map<String, Object>) m) != null
        ? (Map<String, Object>) m
        : null;
  }
}
