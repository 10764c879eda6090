package io.coffer.taskmanager.compute;

import io.coffer.taskmanager.config.TaskManagerConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Set;

/**
 * Refuses to start with a compute driver this build does not have, rather than provisioning with
 * another one than the operator configured.
 */
@ApplicationScoped
class DriverCheck {

  static final Set<String> AVAILABLE = Set.of("local", "openstack");

  void onStart(@Observes StartupEvent event, TaskManagerConfig config) {
    check(config.computeDriver());
  }

  static void check(String driver) {
    if (!AVAILABLE.contains(driver)) {
      throw new IllegalStateException(
          "coffer.taskmanager.compute-driver: '"
              + driver
              + "' is not a compute driver of this build (available: "
              + String.join(", ", AVAILABLE)
              + ")");
    }
  }
}
