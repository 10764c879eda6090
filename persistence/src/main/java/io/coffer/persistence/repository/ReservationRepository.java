package io.coffer.persistence.repository;

import io.coffer.persistence.entity.ReservationEntity;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

/** Rows of {@code reservations}. */
@ApplicationScoped
public class ReservationRepository implements PanacheRepositoryBase<ReservationEntity, String> {}
