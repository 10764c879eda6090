package io.coffer.persistence.repository;

import io.coffer.persistence.entity.BackupEntity;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

/** Rows of {@code backups}. */
@ApplicationScoped
public class BackupRepository implements PanacheRepositoryBase<BackupEntity, String> {}
