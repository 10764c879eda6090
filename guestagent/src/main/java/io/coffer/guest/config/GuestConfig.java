package io.coffer.guest.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The guest configuration, under {@code coffer.guest}: Trove's {@code guest_info.conf}. The compute
 * driver writes it for each instance.
 */
@ConfigMapping(prefix = "coffer.guest")
public interface GuestConfig {

  /** The instance this guest manages; its queue is {@code guestagent.<instance-id>}. */
  String instanceId();

  /** The project owning the instance. */
  Optional<String> tenantId();

  /**
   * The instance's message key (standard base64 of 32 bytes), written by the compute driver into
   * the guest configuration; messages to and from this guest are sealed with it. Never logged.
   * Without it the guest talks plaintext (instances made with message protection off).
   */
  Optional<String> messageKey();

  /** Datastore manager: {@code postgresql} (MySQL/MariaDB later). */
  @WithDefault("postgresql")
  String datastoreManager();

  /** Datastore version, e.g. {@code 15}. */
  @WithDefault("15")
  String datastoreVersion();

  /** Directory that holds the instance's data (its "volume"). */
  @WithDefault("/var/lib/coffer/guest")
  Path dataDir();

  /** Address the database server listens on. */
  @WithDefault("127.0.0.1")
  String bindAddress();

  /** Port the database server listens on. */
  @WithDefault("5432")
  int port();

  /** Volume size in GB, as the control plane allotted it. */
  @WithDefault("1")
  int volumeSize();

  /**
   * A training run for the host's shared class archive: the guest starts, uses what a running guest
   * uses (JDBC, the message codec), and exits (see the local driver's class data sharing).
   */
  @WithDefault("false")
  boolean classDataTraining();

  /** Memory of the flavor in MB; the database's memory settings derive from it. */
  @WithDefault("512")
  int memoryMb();

  /**
   * Directory of the database server's binaries; empty means the Debian location of the datastore
   * version ({@code /usr/lib/postgresql/<version>/bin}).
   */
  Optional<Path> binDir();

  /** How often the guest reports its status to the conductor. */
  @WithDefault("20s")
  Duration heartbeatInterval();

  /**
   * How often the write-ahead log archive in the backup storage is brought up to date: the most a
   * point-in-time recovery can lag behind the server (PostgreSQL).
   */
  @WithDefault("5m")
  Duration walArchiveInterval();

  /**
   * Whether this instance was fenced by a failover: its database server is not started with the
   * guest (it would be a second writer) until the instance rejoins as a replica.
   */
  @WithDefault("false")
  boolean fenced();

  /** Where backups are stored: {@code filesystem} or {@code swift}. */
  @WithDefault("filesystem")
  String backupStorage();

  /** The Swift backup storage, under {@code coffer.guest.backup-swift} (from the taskmanager). */
  BackupSwift backupSwift();

  /** Account and container of the Swift backup storage. */
  interface BackupSwift {
    /** Keystone v3 URL. */
    Optional<String> authUrl();

    /** User name. */
    Optional<String> username();

    /** Password (a secret). */
    Optional<String> password();

    /** The user's domain. */
    @WithDefault("Default")
    String userDomain();

    /** The project owning the containers. */
    Optional<String> project();

    /** The project's domain. */
    @WithDefault("Default")
    String projectDomain();

    /** Region of the object-store endpoint. */
    Optional<String> region();

    /** Endpoint interface. */
    @WithDefault("public")
    String endpointInterface();

    /** The container of the backups. */
    @WithDefault("coffer-backups")
    String container();

    /** Size of each uploaded segment in bytes. */
    @WithDefault("8388608")
    int segmentBytes();
  }

  /** Directory of the filesystem backup storage. */
  @WithDefault("/var/lib/coffer/backups")
  Path backupPath();

  /** Longest a backup may run before the guest gives up on it. */
  @WithDefault("2h")
  Duration backupTimeout();

  /** Longest a restore (unpacking and replaying the backup) may take. */
  @WithDefault("1h")
  Duration restoreTimeout();

  /** Calls handled in parallel (a long prepare does not block a ping). */
  @WithDefault("4")
  int consumers();
}
