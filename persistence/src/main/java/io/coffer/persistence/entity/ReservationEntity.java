package io.coffer.persistence.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A pending change of a quota usage, table {@code reservations}: {@code Reserved} until the request
 * commits ({@code Committed}) or fails ({@code Rolled Back}).
 */
@Entity
@Table(name = "reservations")
public class ReservationEntity {

  public static final String RESERVED = "Reserved";
  public static final String COMMITTED = "Committed";
  public static final String ROLLED_BACK = "Rolled Back";

  @Id public String id;

  public Instant created;

  public Instant updated;

  @Column(name = "usage_id")
  public String usageId;

  public int delta;

  public String status;
}
