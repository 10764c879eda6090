package io.coffer.persistence.repository;

import io.coffer.persistence.entity.ConfigurationEntity;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

/** Rows of {@code configurations}. */
@ApplicationScoped
public class ConfigurationRepository
    implements PanacheRepositoryBase<ConfigurationEntity, String> {}
