package io.coffer.taskmanager.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Settings of the taskmanager, under {@code coffer.taskmanager}. */
@ConfigMapping(prefix = "coffer.taskmanager")
public interface TaskManagerConfig {

  /** Tasks handled in parallel (channels consuming the taskmanager queue, one task each). */
  @WithDefault("8")
  int consumers();

  /**
   * Compute driver that provisions database servers: {@code local} (processes on this host) or
   * {@code openstack} (Nova servers); others refuse to start.
   */
  @WithDefault("local")
  String computeDriver();

  /** Longest time an instance may stay in BUILD before it is set to ERROR. */
  @WithDefault("15m")
  Duration buildTimeout();

  /** Deadline of other tasks (restart, resize, delete, …) when the API gave none. */
  @WithDefault("10m")
  Duration taskTimeout();

  /**
   * Longest wait for the guest agent of a rebooted server to answer (the task's own deadline, when
   * nearer, ends it earlier).
   */
  @WithDefault("5m")
  Duration rebootTimeout();

  /** How often deadlines are checked. */
  @WithDefault("1s")
  String sweepInterval();

  /**
   * How often builds are watched for their guest's report that the database is up: the time from
   * that report to ACTIVE (one indexed statement over the instances being built).
   */
  @WithDefault("200ms")
  Duration buildWatchInterval();

  /** How often resources of no live instance are looked for and removed. */
  @WithDefault("5m")
  String orphanSweepInterval();

  /** Pause after start before the first orphan sweep. */
  @WithDefault("30s")
  String orphanSweepDelay();

  /** Heartbeat period the taskmanager gives the guests it starts. */
  @WithDefault("10s")
  Duration guestHeartbeatInterval();

  /**
   * How often the guests bring their instance's write-ahead log archive in the backup storage up to
   * date: the most a point-in-time recovery lags behind (PostgreSQL).
   */
  @WithDefault("5m")
  Duration guestWalArchiveInterval();

  /** The local compute driver. */
  Local local();

  /** The openstack compute driver. */
  OpenStack openstack();

  /** Backups. */
  Backup backup();

  /** Broker users of the guest agents. */
  BrokerUsers brokerUsers();

  /** Automated backups. */
  AutomatedBackups automatedBackups();

  /** Automatic failover. */
  Failover failover();

  /** Automatic failover of PostgreSQL sources, under {@code coffer.taskmanager.failover}. */
  interface Failover {
    /**
     * The operator's default for instances that do not say ({@code auto_failover} of the create or
     * update body): whether a source with replicas that stopped serving is replaced by one.
     */
    @WithDefault("false")
    boolean automatic();

    /** How long a source's guest must have been silent before its server is checked. */
    @WithDefault("30s")
    Duration expiry();

    /** How often sources are checked. */
    @WithDefault("5s")
    Duration check();

    /** How long the database server has to answer the check. */
    @WithDefault("2s")
    Duration probeTimeout();
  }

  /** Automated backups, under {@code coffer.taskmanager.automated-backups}. */
  interface AutomatedBackups {
    /** How often policies whose window began and expired automated backups are looked for. */
    @WithDefault("60s")
    Duration check();

    /** The length of a backup day: windows repeat every day, retention counts days. */
    @WithDefault("24h")
    Duration day();
  }

  /** Settings of guests' broker users, under {@code coffer.taskmanager.broker-users}. */
  interface BrokerUsers {
    /**
     * Give each guest agent a RabbitMQ user of its own that may consume only its queue and publish
     * only reports to the conductor and replies (needs the broker's management plugin). Off: guests
     * share the taskmanager's broker user, as Trove's do.
     */
    @WithDefault("true")
    boolean enabled();

    /** The broker's management API; default {@code http://<coffer.bus.host>:15672}. */
    Optional<String> managementUrl();

    /** User of the management API (an administrator); default the taskmanager's bus user. */
    Optional<String> username();

    /** Its password (a secret); default the taskmanager's bus password. */
    Optional<String> password();
  }

  /** Settings of backups, under {@code coffer.taskmanager.backup}. */
  interface Backup {
    /** Backup storage: {@code filesystem} (a directory) or {@code swift} (OpenStack Swift). */
    @WithDefault("filesystem")
    String storage();

    /** The Swift storage, under {@code coffer.taskmanager.backup.swift}. */
    Swift swift();

    /**
     * The account and container of the Swift storage. Guests upload with this account too: give it
     * a project used only for backups.
     */
    interface Swift {
      /** Keystone v3 URL. */
      Optional<String> authUrl();

      /** The account's user name. */
      Optional<String> username();

      /** Its password (a secret). */
      Optional<String> password();

      /** The user's domain. */
      @WithDefault("Default")
      String userDomain();

      /** The project owning the containers. */
      Optional<String> project();

      /** The project's domain. */
      @WithDefault("Default")
      String projectDomain();

      /** Region of the object-store endpoint; default the catalog's first. */
      Optional<String> region();

      /** Endpoint interface: public, internal or admin. */
      @WithDefault("public")
      String endpointInterface();

      /** The container of the backups (segments go to {@code <container>_segments}). */
      @WithDefault("coffer-backups")
      String container();

      /** Size of each uploaded segment in bytes (held in a guest's memory while sent). */
      @WithDefault("8388608")
      int segmentBytes();
    }

    /**
     * Directory of the filesystem storage; default {@code /var/lib/coffer/backups} when running as
     * root, else {@code $COFFER_HOME/backups}.
     */
    Optional<Path> path();

    /** Longest a backup may run; past it the backup ends FAILED. */
    @WithDefault("2h")
    Duration timeout();

    /**
     * How long the guest of an instance being backed up may stay silent (no heartbeat) before its
     * backup counts as failed.
     */
    @WithDefault("90s")
    Duration guestSilence();
  }

  /** Settings of the local compute driver, under {@code coffer.taskmanager.local}. */
  interface Local {
    /**
     * Where instance directories live; default {@code /var/lib/coffer/instances} when running as
     * root, else {@code $COFFER_HOME/instances}.
     */
    Optional<Path> baseDir();

    /** The guest agent's launcher jar; found next to the build when not set. */
    Optional<Path> guestJar();

    /** Java used for guest agents; default: the taskmanager's own. */
    Optional<Path> java();

    /**
     * JVM options of guest agents (tuned for a small footprint; the optimising compiler stays on:
     * backups and restores hash every byte, with the CPU's SHA instructions only once optimised).
     * The native heap is trimmed every 30 s: what the compilers and a backup's buffers freed goes
     * back to the host instead of staying resident in each of the host's guests.
     */
    @WithDefault(
        "-Xms16m,-Xmx64m,-Xss512k,-XX:+UseSerialGC,"
            + "-XX:ReservedCodeCacheSize=32m,-XX:MaxMetaspaceSize=128m,-XX:MaxDirectMemorySize=32m,"
            + "-XX:CICompilerCount=2,-XX:+UnlockExperimentalVMOptions,"
            + "-XX:TrimNativeHeapInterval=30000")
    List<String> guestJvmOptions();

    /**
     * Whether each instance runs as an OS user of its own (created and removed with it) when the
     * taskmanager runs as root, its files private to it and its project's backups to its project's
     * OS group; otherwise every guest runs as {@link #runAs()}.
     */
    @WithDefault("true")
    boolean isolation();

    /**
     * OS user the guests (and their databases) run as when the taskmanager runs as root without
     * isolation, and the user of instances made before isolation.
     */
    @WithDefault("postgres")
    String runAs();

    /**
     * Whether the flavor's memory and vCPUs are enforced on each instance (its guest and database
     * server) through the host's cgroups (v1 {@code memory} and {@code cpu} controllers, or v2),
     * when the taskmanager runs as root and the host has them.
     */
    @WithDefault("true")
    boolean limits();

    /**
     * The cgroup, relative to each controller's hierarchy root, under which instances get a group
     * of their own ({@code <cgroup-root>/<instance id>}); default {@code coffer/<8 hex of a digest
     * of the base directory>}, so that two deployments on one host never take each other's groups
     * for orphans.
     */
    Optional<String> cgroupRoot();

    /**
     * Whether each instance's data lives on a file system of its volume's size (an ext4 image on a
     * loop device, mounted on its directory) when the taskmanager runs as root and the host has
     * loop devices.
     */
    @WithDefault("true")
    boolean volumes();

    /** Where volume images live; default {@code volumes/} beside the instances' base directory. */
    Optional<Path> volumeDir();

    /**
     * Whether the host's guests share one class data archive (made by a training run of the guest
     * when the taskmanager starts, in {@code guest-cds/} beside the base directory) instead of each
     * keeping its own copy of the same classes.
     */
    @WithDefault("true")
    boolean classDataSharing();

    /** First loopback address given to instances. */
    @WithDefault("127.0.1.1")
    String firstAddress();

    /** Last loopback address given to instances. */
    @WithDefault("127.0.1.254")
    String lastAddress();

    /** Port of the guests' health endpoint on their address. */
    @WithDefault("8790")
    int guestHttpPort();
  }

  /** Settings of the openstack compute driver, under {@code coffer.taskmanager.openstack}. */
  interface OpenStack {
    /** Keystone v3 URL, e.g. {@code https://keystone.example.org/v3}. */
    Optional<String> authUrl();

    /** The service account's user name. */
    Optional<String> username();

    /** Its password (give it from a secret, e.g. {@code COFFER_TASKMANAGER_OPENSTACK_PASSWORD}). */
    Optional<String> password();

    /** The account's domain. */
    @WithDefault("Default")
    String userDomain();

    /** The project servers, volumes and ports are made in. */
    Optional<String> project();

    /** The project's domain. */
    @WithDefault("Default")
    String projectDomain();

    /** Region of the endpoints; default: the first of the catalog. */
    Optional<String> region();

    /** Endpoint interface of the catalog to use: public, internal or admin. */
    @WithDefault("public")
    String endpointInterface();

    /** Id of the tenant network the databases are reached on. */
    Optional<String> network();

    /** Ids of further networks each server gets a port on (the guests reach the bus there). */
    Optional<List<String>> managementNetworks();

    /** Id of the external network floating IPs of public instances come from; none: no FIPs. */
    Optional<String> floatingNetwork();

    /** Image booted when the datastore version has neither an image id nor image tags. */
    Optional<String> imageId();

    /** Cinder volume type when the request names none. */
    Optional<String> volumeType();

    /** Availability zone when the request names none. */
    Optional<String> availabilityZone();

    /** Longest wait for a server to become ACTIVE (boot, reboot, resize). */
    @WithDefault("10m")
    Duration serverTimeout();

    /** Longest wait for a volume to become available or to extend. */
    @WithDefault("5m")
    Duration volumeTimeout();

    /** Longest wait for a server and its volume to go. */
    @WithDefault("5m")
    Duration deleteTimeout();

    /** Pause between status polls. */
    @WithDefault("2s")
    Duration pollInterval();

    /** The broker's host as the servers reach it; default: the taskmanager's bus host. */
    Optional<String> guestBusHost();

    /** Where cloud-init writes the guest configuration on the server. */
    @WithDefault("/etc/coffer/guest/application.properties")
    String guestConfigPath();

    /** The guest agent's systemd unit in the image. */
    @WithDefault("coffer-guest")
    String guestService();

    /** How often Nova's flavors are copied to the flavor list. */
    @WithDefault("5m")
    String flavorSyncInterval();

    /** Ports opened to the allowed CIDRs, by datastore manager (default 5432 or 3306). */
    Map<String, List<Integer>> datastorePorts();
  }
}
