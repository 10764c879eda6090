package io.coffer.persistence.repository;

import io.coffer.persistence.entity.VolumeTypeEntity;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/** Rows of {@code volume_types}. */
@ApplicationScoped
public class VolumeTypeRepository implements PanacheRepositoryBase<VolumeTypeEntity, String> {

  /** The types the driver offers now, by name. */
  public List<VolumeTypeEntity> offered() {
    return list("deleted = false order by name, id");
  }

  /** An offered type named {@code ref} or with that id. */
  public Optional<VolumeTypeEntity> offered(String ref) {
    return find("deleted = false and (id = ?1 or name = ?1) order by name", ref)
        .firstResultOptional();
  }
}
