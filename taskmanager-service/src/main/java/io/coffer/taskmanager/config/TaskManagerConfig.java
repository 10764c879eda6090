package io.coffer.taskmanager.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Settings of the taskmanager, under {@code coffer.taskmanager}. */
@ConfigMapping(prefix = "coffer.taskmanager")
public interface TaskManagerConfig {

  /** Tasks handled in parallel (channels consuming the taskmanager queue, one task each). */
  @WithDefault("8")
  int consumers();

  /** Compute driver that provisions database servers: {@code local}; others refuse to start. */
  @WithDefault("local")
  String computeDriver();

  /** Longest time an instance may stay in BUILD before it is set to ERROR. */
  @WithDefault("15m")
  Duration buildTimeout();

  /** Deadline of other tasks (restart, resize, delete, …) when the API gave none. */
  @WithDefault("10m")
  Duration taskTimeout();

  /** How often deadlines are checked and builds are watched for their guest's first report. */
  @WithDefault("1s")
  String sweepInterval();

  /** How often resources of no live instance are looked for and removed. */
  @WithDefault("5m")
  String orphanSweepInterval();

  /** Pause after start before the first orphan sweep. */
  @WithDefault("30s")
  String orphanSweepDelay();

  /** Heartbeat period the taskmanager gives the guests it starts. */
  @WithDefault("10s")
  Duration guestHeartbeatInterval();

  /** The local compute driver. */
  Local local();

  /** Backups. */
  Backup backup();

  /** Broker users of the guest agents. */
  BrokerUsers brokerUsers();

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
    /** Backup storage: {@code filesystem}. */
    @WithDefault("filesystem")
    String storage();

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
     */
    @WithDefault(
        "-Xms16m,-Xmx64m,-Xss512k,-XX:+UseSerialGC,"
            + "-XX:ReservedCodeCacheSize=32m,-XX:MaxMetaspaceSize=128m,-XX:MaxDirectMemorySize=32m,"
            + "-XX:CICompilerCount=2")
    List<String> guestJvmOptions();

    /** OS user the guests (and their databases) run as when the taskmanager runs as root. */
    @WithDefault("postgres")
    String runAs();

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
}
