package io.coffer.conductor.messaging;

import io.coffer.bus.BatchConsumers;
import io.coffer.bus.BusConfig;
import io.coffer.conductor.config.ConductorConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Consumes the conductor topic in batches; conductors are competing consumers of one queue, and
 * their writes are ordered by the database, so any number may run.
 */
@ApplicationScoped
class ConductorEndpoint {

  private final BatchConsumers consumers;
  private final BusConfig bus;
  private final ConductorConfig config;
  private final ReportBatchHandler handler;

  ConductorEndpoint(
      BatchConsumers consumers, BusConfig bus, ConductorConfig config, ReportBatchHandler handler) {
    this.consumers = consumers;
    this.bus = bus;
    this.config = config;
    this.handler = handler;
  }

  void onStart(@Observes StartupEvent event) {
    consumers.start(
        new BatchConsumers.Spec(
            bus.conductorTopic(), config.consumers(), config.batchSize(), config.batchMaxWait()),
        handler);
  }
}
