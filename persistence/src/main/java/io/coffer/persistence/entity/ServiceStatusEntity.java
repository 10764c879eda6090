package io.coffer.persistence.entity;

import io.coffer.model.status.ServiceStatus;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * Status of the database service of an instance, table {@code service_statuses}; one row per
 * instance. The conductor writes it from heartbeats; {@code updated_at} is the heartbeat time.
 */
@Entity
// only changed columns are written: the API, the taskmanager and the conductor update different
// columns of the same rows concurrently, and a full-row update would undo the others' changes
@org.hibernate.annotations.DynamicUpdate
@Table(name = "service_statuses")
public class ServiceStatusEntity {

  @Id public String id;

  @Column(name = "instance_id")
  public String instanceId;

  @Column(name = "status_id")
  public int statusId;

  @Column(name = "status_description")
  public String statusDescription;

  @Column(name = "updated_at")
  public Instant updatedAt;

  /** The status; read by description first, so the 0x22 code collision does not bite. */
  public ServiceStatus status() {
    return ServiceStatus.fromDescription(statusDescription)
        .or(() -> ServiceStatus.fromCode(statusId))
        .orElse(ServiceStatus.UNKNOWN);
  }

  /** Sets the status and its update time. */
  public void setStatus(ServiceStatus status, Instant now) {
    this.statusId = status.code();
    this.statusDescription = status.description();
    this.updatedAt = now;
  }
}
