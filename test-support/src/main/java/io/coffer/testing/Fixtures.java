package io.coffer.testing;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;

/** Rows for tests, inserted with plain SQL; every builder has sensible defaults. */
public final class Fixtures {

  private Fixtures() {}

  /** An instance builder for a project. */
  public static InstanceBuilder instance(String projectId) {
    return new InstanceBuilder(projectId);
  }

  /** Builds one {@code instances} row and its {@code service_statuses} row. */
  public static final class InstanceBuilder {
    private final String projectId;
    private String id = UUID.randomUUID().toString();
    private String name = "db-" + id.substring(0, 8);
    private int taskId = 0x01;
    private String taskText = "No tasks for the instance.";
    private String serverStatus = "ACTIVE";
    private int statusId = 0x21;
    private String statusText = "healthy";
    private Instant heartbeat = Instant.now();
    private String datastoreVersionId;
    private String flavorId = "1";
    private Integer volumeSize = 1;

    private InstanceBuilder(String projectId) {
      this.projectId = projectId;
    }

    /** Sets the id. */
    public InstanceBuilder id(String id) {
      this.id = id;
      return this;
    }

    /** Sets the name. */
    public InstanceBuilder name(String name) {
      this.name = name;
      return this;
    }

    /** Sets the task by code and text. */
    public InstanceBuilder task(int code, String text) {
      this.taskId = code;
      this.taskText = text;
      return this;
    }

    /** A building instance with a NEW service and no heartbeat yet. */
    public InstanceBuilder building() {
      task(0x05, "The instance is building.");
      serverStatus = "BUILD";
      return service(0x17, "new", null);
    }

    /** Sets the server status. */
    public InstanceBuilder serverStatus(String status) {
      this.serverStatus = status;
      return this;
    }

    /** Sets the service status and its heartbeat time. */
    public InstanceBuilder service(int code, String description, Instant heartbeatAt) {
      this.statusId = code;
      this.statusText = description;
      this.heartbeat = heartbeatAt;
      return this;
    }

    /** Sets the datastore version. */
    public InstanceBuilder datastoreVersion(String id) {
      this.datastoreVersionId = id;
      return this;
    }

    /** Sets the flavor and volume. */
    public InstanceBuilder flavor(String flavorId, Integer volumeSize) {
      this.flavorId = flavorId;
      this.volumeSize = volumeSize;
      return this;
    }

    /** Inserts the rows and returns the instance id. */
    public String insert() {
      Timestamp now = Timestamp.from(Instant.now());
      Db.update(
          "INSERT INTO instances (id, created, updated, name, task_id, task_description,"
              + " tenant_id, server_status, datastore_version_id, flavor_id, volume_size)"
              + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          id,
          now,
          now,
          name,
          taskId,
          taskText,
          projectId,
          serverStatus,
          datastoreVersionId,
          flavorId,
          volumeSize);
      Db.update(
          "INSERT INTO service_statuses (id, instance_id, status_id, status_description,"
              + " updated_at) VALUES (?, ?, ?, ?, ?)",
          UUID.randomUUID().toString(),
          id,
          statusId,
          statusText,
          heartbeat == null ? null : Timestamp.from(heartbeat));
      return id;
    }
  }
}
