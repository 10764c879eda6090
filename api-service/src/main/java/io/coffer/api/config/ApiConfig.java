package io.coffer.api.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Settings of the API, under {@code coffer.api}. */
@ConfigMapping(prefix = "coffer.api")
public interface ApiConfig {

  /** Region name shown in instance views. */
  @WithDefault("RegionOne")
  String region();

  /** Largest page of instances, users, databases, backups, configurations (Trove's 20). */
  @WithDefault("20")
  int pageSize();

  /** Largest volume in GB a create may ask for ({@code max_accepted_volume_size}). */
  @WithDefault("10")
  int maxVolumeSize();

  /** How often the instance counts exported as metrics are recomputed. */
  @WithDefault("15s")
  String metricsInterval();

  /** Age of the last heartbeat after which the guest counts as silent (Trove's 90 s). */
  @WithDefault("90s")
  Duration heartbeatExpiry();

  /** How long an instance may stay in BUILD before the taskmanager's sweeper fails it. */
  @WithDefault("15m")
  Duration buildTimeout();

  /** Deadline given to other tasks (restart, resize, delete, detach, promote). */
  @WithDefault("10m")
  Duration taskTimeout();

  /** How often tasks left in the outbox (broker unreachable) are published again. */
  @WithDefault("2s")
  String outboxInterval();

  /** Roles that make a caller an admin. */
  @WithDefault("admin")
  List<String> adminRoles();

  /**
   * Datastore managers whose new instances get root enabled with a generated password, returned in
   * the create response (Trove's per-datastore {@code root_on_create}); none by default.
   */
  Optional<List<String>> rootOnCreate();

  /** Default datastore when a create names none. */
  @WithDefault("postgresql")
  Optional<String> defaultDatastore();

  /** Authentication. */
  Auth auth();

  /** Quotas (Trove's defaults). */
  Quotas quotas();

  /** Authentication settings, under {@code coffer.api.auth}. */
  interface Auth {
    /** {@code local} (token file) or {@code keystone} (Keystone v3 token validation). */
    @WithDefault("local")
    String strategy();

    /** The local token file (JSON); reloaded when it changes. */
    @WithDefault("${coffer.home:${user.home}/.coffer}/tokens.json")
    Path tokenFile();

    /** Keystone settings, for the {@code keystone} strategy. */
    Keystone keystone();
  }

  /** Keystone settings, under {@code coffer.api.auth.keystone}. */
  interface Keystone {
    /** Keystone v3 endpoint, e.g. {@code http://keystone:5000/v3}. */
    Optional<String> authUrl();

    /** Service user that validates tokens. */
    Optional<String> username();

    /** Its password; set from a secret. */
    Optional<String> password();

    /** Its project. */
    @WithDefault("service")
    String projectName();

    /** Domain of the user and project. */
    @WithDefault("Default")
    String domainName();

    /** Longest time a validated token is trusted without asking Keystone again. */
    @WithDefault("5m")
    Duration cacheTime();

    /** Timeout of each request to Keystone. */
    @WithDefault("10s")
    Duration timeout();
  }

  /** Default quotas, under {@code coffer.api.quotas}; -1 means unlimited. */
  interface Quotas {
    @WithDefault("10")
    int instances();

    /** Memory in MB. */
    @WithDefault("-1")
    int ram();

    @WithDefault("50")
    int backups();

    /** Volume GB. */
    @WithDefault("40")
    int volumes();
  }
}
