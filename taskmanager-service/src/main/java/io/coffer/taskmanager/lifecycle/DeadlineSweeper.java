package io.coffer.taskmanager.lifecycle;

import io.coffer.model.status.InstanceTask;
import io.coffer.model.status.ServiceStatus;
import io.coffer.persistence.entity.InstanceEntity;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Every wait has a deadline: an instance whose task outlives it ends in ERROR with a fault saying
 * why. This is what keeps an instance from staying in BUILD forever when its taskmanager died or
 * its guest never started.
 */
@ApplicationScoped
class DeadlineSweeper {

  private final Lifecycle lifecycle;

  DeadlineSweeper(Lifecycle lifecycle) {
    this.lifecycle = lifecycle;
  }

  @Scheduled(
      every = "${coffer.taskmanager.sweep-interval}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void sweep() {
    try {
      for (InstanceEntity i : lifecycle.overdue()) {
        InstanceTask task = i.task();
        InstanceTask error = Lifecycle.errorOf(task);
        if (error == null) {
          continue;
        }
        String took =
            i.taskStartTime == null
                ? ""
                : " (started "
                    + Duration.between(i.taskStartTime, i.taskDeadline).toSeconds()
                    + " s before its deadline)";
        lifecycle.fail(
            i.id,
            task,
            error,
            task == InstanceTask.BUILDING
                ? "The instance did not become ACTIVE before its deadline"
                    + took
                    + "; the guest agent did not report the database up."
                : "The "
                    + task.action().toLowerCase()
                    + " task did not finish before its deadline"
                    + took
                    + ".",
            "deadline " + i.taskDeadline);
        if (task == InstanceTask.BUILDING) {
          lifecycle.service(i.id, ServiceStatus.FAILED_TIMEOUT_GUESTAGENT);
        }
      }
    } catch (RuntimeException e) {
      Log.warnf("deadline sweep failed: %s", e.getMessage());
    }
  }
}
