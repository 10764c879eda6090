package io.coffer.persistence.repository;

import io.coffer.persistence.entity.ParameterRuleEntity;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

/** Rows of {@code datastore_configuration_parameters}. */
@ApplicationScoped
public class ParameterRuleRepository
    implements PanacheRepositoryBase<ParameterRuleEntity, String> {}
