package io.coffer.persistence.repository;

import io.coffer.persistence.entity.BackupStrategyEntity;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

/** Rows of {@code backup_strategy}. */
@ApplicationScoped
public class BackupStrategyRepository
    implements PanacheRepositoryBase<BackupStrategyEntity, String> {}
