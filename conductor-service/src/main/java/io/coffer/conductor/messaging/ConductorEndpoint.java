package io.coffer.conductor.messaging;

import io.coffer.bus.BusConfig;
import io.coffer.bus.BusConsumers;
import io.coffer.bus.ConsumerSpec;
import io.coffer.bus.Dispatcher;
import io.coffer.bus.MessageHandler;
import io.coffer.conductor.config.ConductorConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;

/** Consumes the conductor topic; conductors are competing consumers of one queue. */
@ApplicationScoped
class ConductorEndpoint {

  private final BusConsumers consumers;
  private final BusConfig bus;
  private final ConductorConfig config;
  private final Instance<MessageHandler<?, ?>> handlers;

  ConductorEndpoint(
      BusConsumers consumers,
      BusConfig bus,
      ConductorConfig config,
      @Any Instance<MessageHandler<?, ?>> handlers) {
    this.consumers = consumers;
    this.bus = bus;
    this.config = config;
    this.handlers = handlers;
  }

  void onStart(@Observes StartupEvent event) {
    consumers.start(
        new ConsumerSpec(bus.conductorTopic(), config.consumers(), config.prefetch(), true),
        new Dispatcher(handlers));
  }
}
