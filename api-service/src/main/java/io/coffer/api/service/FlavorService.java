package io.coffer.api.service;

import io.coffer.api.fault.CofferException;
import io.coffer.persistence.entity.FlavorEntity;
import io.coffer.persistence.repository.FlavorRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/** Coffer's flavors (the local compute driver has no Nova), with Trove's lookup errors. */
@ApplicationScoped
public class FlavorService {

  private final FlavorRepository flavors;
  private final Clock clock;

  FlavorService(FlavorRepository flavors, Clock clock) {
    this.flavors = flavors;
    this.clock = clock;
  }

  /** Flavors that are not deleted, by id. */
  public List<FlavorEntity> all() {
    return flavors.list("deleted = false order by ram, id");
  }

  /** A flavor, if it exists. */
  public Optional<FlavorEntity> find(String id) {
    if (id == null) {
      return Optional.empty();
    }
    return flavors.find("id = ?1 and deleted = false", id).firstResultOptional();
  }

  /** A flavor for {@code GET flavors/{id}}: 404 when unknown. */
  public FlavorEntity show(String id) {
    return find(id)
        .orElseThrow(() -> CofferException.notFound("Flavor " + id + " could not be found."));
  }

  /** A flavor named by a request: Trove answers 400 when it does not exist. */
  public FlavorEntity requested(String id) {
    return find(id)
        .orElseThrow(() -> CofferException.badRequest("Flavor " + id + " could not be found."));
  }

  /** Adds a flavor (admin). */
  @Transactional
  public FlavorEntity create(String id, String name, int ram, int vcpus, int disk, int ephemeral) {
    if (flavors.findByIdOptional(id).isPresent()) {
      throw CofferException.badRequest("A flavor with id " + id + " already exists.");
    }
    if (flavors.count("name = ?1 and deleted = false", name) > 0) {
      throw CofferException.badRequest("A flavor named " + name + " already exists.");
    }
    FlavorEntity f = new FlavorEntity();
    f.id = id;
    f.name = name;
    f.ram = ram;
    f.vcpus = vcpus;
    f.disk = disk;
    f.ephemeral = ephemeral;
    f.isPublic = true;
    f.created = clock.instant();
    f.updated = f.created;
    flavors.persist(f);
    return f;
  }

  /** Removes a flavor (admin); instances keep their flavor id. */
  @Transactional
  public void delete(String id) {
    FlavorEntity f = show(id);
    f.deleted = true;
    f.name = f.name + "#deleted#" + f.id;
    f.updated = clock.instant();
  }
}
