package io.coffer.persistence.repository;

import io.coffer.persistence.entity.DatastoreEntity;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

/** Rows of {@code datastores}. */
@ApplicationScoped
public class DatastoreRepository implements PanacheRepositoryBase<DatastoreEntity, String> {}
