package io.coffer.bus;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while the connection to RabbitMQ is open. */
@Readiness
@ApplicationScoped
public class BusHealthCheck implements HealthCheck {

  private final BusConnection bus;

  BusHealthCheck(BusConnection bus) {
    this.bus = bus;
  }

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("message bus")
        .status(bus.isOpen())
        .withData("exchange", bus.config().exchange())
        .build();
  }
}
