package io.coffer.taskmanager.messaging;

import io.coffer.bus.BusConsumers;
import io.coffer.bus.ConsumerSpec;
import io.coffer.bus.Dispatcher;
import io.coffer.bus.MessageHandler;
import io.coffer.model.routing.Topics;
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
  private final TaskManagerConfig config;
  private final Instance<MessageHandler<?, ?>> handlers;

  TaskEndpoint(
      BusConsumers consumers,
      TaskManagerConfig config,
      @Any Instance<MessageHandler<?, ?>> handlers) {
    this.consumers = consumers;
    this.config = config;
    this.handlers = handlers;
  }

  void onStart(@Observes StartupEvent event) {
    consumers.start(
        new ConsumerSpec(Topics.TASKMANAGER, config.consumers(), 1, true),
        new Dispatcher(handlers));
  }
}
