package io.coffer.persistence.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A task message waiting to be published, table {@code task_outbox}; written by the API in the
 * transaction of the decision, deleted once the broker confirmed it.
 */
@Entity
@Table(name = "task_outbox")
public class OutboxEntity {

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  public Long id;

  public Instant created;

  public String topic;

  public String method;

  /** The encoded message (oslo.messaging JSON). */
  @Column(columnDefinition = "text")
  public String body;

  public int attempts;

  @Column(name = "last_error", columnDefinition = "text")
  public String lastError;
}
