package io.coffer.taskmanager.compute.local;

import io.coffer.model.status.InstanceTask;
import io.coffer.persistence.repository.InstanceRepository;
import io.coffer.taskmanager.config.TaskManagerConfig;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Set;

/**
 * At startup, brings back the local servers of live instances whose processes are gone (after a
 * host restart or {@code coffer down}), as a cloud restarts its VMs. Directories of instances that
 * no longer exist are left to the delete path. An instance still being built is left to its create
 * task: a create cut short by a crash may have left a directory whose ownership and permissions are
 * not yet final, and its redelivered {@code create_instance} finishes the server and starts the
 * guest itself (or the build deadline ends it).
 */
@ApplicationScoped
class LocalReconciler {

  private final LocalComputeDriver driver;
  private final InstanceRepository instances;
  private final TaskManagerConfig config;

  LocalReconciler(
      LocalComputeDriver driver, InstanceRepository instances, TaskManagerConfig config) {
    this.driver = driver;
    this.instances = instances;
    this.config = config;
  }

  void onStart(@Observes StartupEvent event) {
    if (!"local".equals(config.computeDriver())) {
      return;
    }
    try {
      Set<String> local = driver.instances();
      for (String id : local) {
        boolean built =
            QuarkusTransaction.requiringNew()
                .call(
                    () ->
                        instances
                            .live(id)
                            .map(i -> i.task() != InstanceTask.BUILDING)
                            .orElse(false));
        if (built && driver.revive(id)) {
          Log.infof("instance %s: local server was down, started it again", id);
        }
      }
    } catch (RuntimeException e) {
      Log.warnf("could not check the local servers: %s", e.getMessage());
    }
  }
}
