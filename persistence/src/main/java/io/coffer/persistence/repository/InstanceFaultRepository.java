package io.coffer.persistence.repository;

import io.coffer.persistence.entity.InstanceFaultEntity;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** Instance faults. */
@ApplicationScoped
public class InstanceFaultRepository implements PanacheRepositoryBase<InstanceFaultEntity, String> {

  /** The newest live fault of an instance. */
  public Optional<InstanceFaultEntity> latest(String instanceId) {
    return find("instanceId = ?1 and deleted = false order by created desc", instanceId)
        .firstResultOptional();
  }

  /** Records a fault; the message is cut to Trove's 255 characters. */
  public InstanceFaultEntity record(
      String instanceId, String message, String details, Instant now) {
    InstanceFaultEntity f = new InstanceFaultEntity();
    f.id = UUID.randomUUID().toString();
    f.instanceId = instanceId;
    String m = message == null ? "" : message;
    f.message =
        m.length() > InstanceFaultEntity.MESSAGE_LENGTH
            ? m.substring(0, InstanceFaultEntity.MESSAGE_LENGTH)
            : m;
    f.details = details;
    f.created = now;
    f.updated = now;
    persist(f);
    return f;
  }

  /** Soft-deletes the faults of an instance. */
  public void clear(String instanceId, Instant now) {
    update(
        "deleted = true, deletedAt = ?2 where instanceId = ?1 and deleted = false",
        instanceId,
        now);
  }
}
