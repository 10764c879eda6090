package io.coffer.persistence.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * The first time root was enabled on an instance, table {@code root_enabled_history}; the id is the
 * instance id. Written by the API and by the conductor ({@code report_root}).
 */
@Entity
@Table(name = "root_enabled_history")
public class RootEnabledHistoryEntity {

  @Id public String id;

  @Column(name = "\"user\"")
  public String user;

  public Instant created;
}
