package io.coffer.taskmanager.messaging;

import io.coffer.bus.BusConfig;
import io.coffer.bus.BusConsumers;
import io.coffer.bus.ConsumerSpec;
import io.coffer.bus.Dispatcher;
import io.coffer.bus.MessageHandler;
import io.coffer.taskmanager.config.TaskManagerConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;

/**
 * Consumes the {@code taskmanager} topic. Taskmanagers are competing consumers of one queue; each
 * channel takes one task at a time and acks it only after the handler recorded its progress.
 */
@ApplicationScoped
class TaskEndpoint {

  private final BusConsumers consumers;
  private final BusConfig bus;
  private final TaskManagerConfig config;
  private final Instance<MessageHandler<?, ?>> handlers;

  TaskEndpoint(
      BusConsumers consumers,
      BusConfig bus,
      TaskManagerConfig config,
      @Any Instance<MessageHandler<?, ?>> handlers) {
    this.consumers = consumers;
    this.bus = bus;
    this.config = config;
    this.handlers = handlers;
  }

  void onStart(@Observes StartupEvent event) {
    consumers.start(
        new ConsumerSpec(bus.taskmanagerTopic(), config.consumers(), 1, true),
        new Dispatcher(handlers));
  }
}
