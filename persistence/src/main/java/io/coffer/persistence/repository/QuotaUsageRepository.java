package io.coffer.persistence.repository;

import io.coffer.persistence.entity.QuotaUsageEntity;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

/** Rows of {@code quota_usages}. */
@ApplicationScoped
public class QuotaUsageRepository implements PanacheRepositoryBase<QuotaUsageEntity, String> {}
