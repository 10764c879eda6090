package io.coffer.persistence.repository;

import io.coffer.persistence.entity.QuotaEntity;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

/** Rows of {@code quotas}. */
@ApplicationScoped
public class QuotaRepository implements PanacheRepositoryBase<QuotaEntity, String> {}
