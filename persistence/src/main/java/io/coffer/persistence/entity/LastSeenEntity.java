package io.coffer.persistence.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.Objects;

/**
 * The {@code sent} time of the last report the conductor accepted per instance and method, table
 * {@code conductor_lastseen}. Written only by the conductor's conditional upsert.
 */
@Entity
@Table(name = "conductor_lastseen")
@IdClass(LastSeenEntity.Key.class)
public class LastSeenEntity {

  @Id
  @Column(name = "instance_id")
  public String instanceId;

  @Id
  @Column(name = "method_name")
  public String methodName;

  /** Epoch seconds with microseconds, as the guest sent it. */
  public double sent;

  /** Primary key: instance and method. */
  public static class Key implements Serializable {
    public String instanceId;
    public String methodName;

    public Key() {}

    public Key(String instanceId, String methodName) {
      this.instanceId = instanceId;
      this.methodName = methodName;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k
          && Objects.equals(instanceId, k.instanceId)
          && Objects.equals(methodName, k.methodName);
    }

    @Override
    public int hashCode() {
      return Objects.hash(instanceId, methodName);
    }
  }
}
