package io.coffer.taskmanager.compute.local;

import io.coffer.taskmanager.config.TaskManagerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * What the local driver enforces on this host (isolation, limits), in the readiness report that
 * {@code deploy/local/coffer status} shows: a host that cannot isolate or limit instances says so
 * instead of running without it silently.
 */
@Readiness
@ApplicationScoped
class LocalDriverHealth implements HealthCheck {

  private final LocalComputeDriver driver;
  private final TaskManagerConfig config;

  LocalDriverHealth(LocalComputeDriver driver, TaskManagerConfig config) {
    this.driver = driver;
    this.config = config;
  }

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder b = HealthCheckResponse.named("local compute driver").up();
    if ("local".equals(config.computeDriver())) {
      driver.capabilities().forEach(b::withData);
    } else {
      b.withData("in use", false);
    }
    return b.build();
  }
}
