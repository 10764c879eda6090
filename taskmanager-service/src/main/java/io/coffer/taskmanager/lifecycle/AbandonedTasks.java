package io.coffer.taskmanager.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import io.coffer.bus.BusConfig;
import io.coffer.bus.DeadLetterListener;
import io.coffer.model.rpc.Envelope;
import io.coffer.model.status.InstanceTask;
import io.coffer.persistence.entity.InstanceEntity;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A task given up on (dead-lettered after its attempts) ends its instance's task in ERROR with a
 * fault at once, rather than leaving the instance in its task until the deadline.
 */
@ApplicationScoped
class AbandonedTasks implements DeadLetterListener {

  private final Lifecycle lifecycle;
  private final BusConfig bus;

  AbandonedTasks(Lifecycle lifecycle, BusConfig bus) {
    this.lifecycle = lifecycle;
    this.bus = bus;
  }

  /** The instances a task names: {@code instance_id}, a string or (create_instance) a list. */
  static List<String> instancesOf(Envelope message) {
    JsonNode named = message.args().path("instance_id");
    List<String> ids = new ArrayList<>();
    if (named.isTextual()) {
      ids.add(named.asText());
    } else if (named.isArray()) {
      named.forEach(n -> ids.add(n.asText()));
    }
    return ids;
  }

  @Override
  public void deadLettered(String queue, Envelope message, String reason) {
    if (!queue.equals(bus.taskmanagerTopic())) {
      return;
    }
    for (String id : instancesOf(message)) {
      Optional<InstanceEntity> i = lifecycle.live(id);
      if (i.isEmpty()) {
        continue;
      }
      InstanceTask task = i.get().task();
      InstanceTask error = Lifecycle.errorOf(task);
      if (error == null) {
        Log.warnf(
            "instance %s: task %s abandoned while the instance is %s", id, message.method(), task);
        continue;
      }
      lifecycle.fail(
          id,
          task,
          error == InstanceTask.BUILDING_ERROR_TIMEOUT_GA
              ? InstanceTask.BUILDING_ERROR_SERVER
              : error,
          "The " + message.method() + " task was abandoned: " + reason,
          null);
    }
  }
}
