package io.coffer.persistence.repository;

import io.coffer.persistence.entity.FlavorEntity;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

/** Rows of {@code flavors}. */
@ApplicationScoped
public class FlavorRepository implements PanacheRepositoryBase<FlavorEntity, String> {}
