package io.coffer.persistence.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * How far an instance's write-ahead log archive reaches, table {@code wal_archives} (Coffer's
 * point-in-time recovery). Written by the conductor from the guest's {@code wal_archived} reports;
 * read by the API (the restorable window) and the taskmanager (restores, retention).
 */
@Entity
@Table(name = "wal_archives")
public class WalArchiveEntity {

  /** The instance whose archive it is. */
  @Id
  @Column(name = "instance_id")
  public String instanceId;

  @Column(name = "tenant_id")
  public String tenantId;

  /** The container of the backup storage holding it. */
  public String container;

  /** When the first report arrived: backups taken since then are restorable points. */
  public Instant started;

  @Column(name = "latest_segment")
  public String latestSegment;

  /** Every commit up to this instant is archived. */
  @Column(name = "latest_time")
  public Instant latestTime;

  /** The newest commit the archive holds (the guest's marker); nothing was committed after it. */
  @Column(name = "marker_time")
  public Instant markerTime;

  public Instant updated;
}
