package io.coffer.guest.rpc;

import io.coffer.bus.BusConsumers;
import io.coffer.bus.ConsumerSpec;
import io.coffer.bus.Dispatcher;
import io.coffer.bus.MessageHandler;
import io.coffer.guest.config.GuestConfig;
import io.coffer.model.routing.Topics;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;

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

  GuestEndpoint(
      BusConsumers consumers, GuestConfig config, @Any Instance<MessageHandler<?, ?>> handlers) {
    this.consumers = consumers;
    this.config = config;
    this.handlers = handlers;
  }

  void onStart(@Observes StartupEvent event) {
    consumers.start(
        new ConsumerSpec(Topics.guest(config.instanceId()), config.consumers(), 1, false),
        new Dispatcher(handlers));
  }
}
