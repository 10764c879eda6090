package io.coffer.persistence.repository;

import io.coffer.persistence.entity.DatastoreVersionEntity;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

/** Rows of {@code datastore_versions}. */
@ApplicationScoped
public class DatastoreVersionRepository
    implements PanacheRepositoryBase<DatastoreVersionEntity, String> {}
