package io.coffer.persistence.repository;

import io.coffer.persistence.entity.RootEnabledHistoryEntity;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

/** Rows of {@code root_enabled_history}. */
@ApplicationScoped
public class RootEnabledHistoryRepository
    implements PanacheRepositoryBase<RootEnabledHistoryEntity, String> {}
