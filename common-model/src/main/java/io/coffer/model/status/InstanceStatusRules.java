package io.coffer.model.status;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * Trove's derivation of an instance's API {@code status} and {@code operating_status} from its
 * task, its server status, its service status and its running backups. Pure functions: the time is
 * passed in.
 */
public final class InstanceStatusRules {

  /** Trove's {@code agent_heartbeat_expiry}. */
  public static final Duration DEFAULT_HEARTBEAT_EXPIRY = Duration.ofSeconds(90);

  private static final Set<String> TRANSIENT_SERVER_STATES =
      Set.of("BUILD", "ERROR", "REBOOT", "RESIZE");
  private static final Set<String> STOPPED_SERVER_STATES = Set.of("ACTIVE", "SHUTDOWN", "DELETED");
  private static final Set<String> SETTLED_SERVER_STATES = Set.of("ACTIVE", "SHUTDOWN");

  private InstanceStatusRules() {}

  /**
   * The API {@code status}.
   *
   * @param task the instance's task
   * @param serverStatus the compute server's status ({@code ACTIVE}, {@code BUILD}, …); during a
   *     build Trove does not ask the compute service and uses {@code BUILD}
   * @param service the stored service status
   * @param backupRunning whether a backup of the instance is NEW, BUILDING or SAVING
   */
  public static String status(
      InstanceTask task, String serverStatus, ServiceStatus service, boolean backupRunning) {
    if (task.isError()) {
      return "ERROR";
    }
    String action = task.action();
    if (service == ServiceStatus.UNKNOWN && InstanceTask.DELETING.action().equals(action)) {
      // reset_status followed by delete (force delete)
      return "SHUTDOWN";
    }
    String byTask = statusOfTask(action, serverStatus);
    if (byTask != null) {
      return byTask;
    }
    String server = serverStatus == null ? "" : serverStatus.toUpperCase();
    if (TRANSIENT_SERVER_STATES.contains(server)) {
      return server;
    }
    if ("VERIFY_RESIZE".equals(server)) {
      return "RESIZE";
    }
    if (backupRunning) {
      return "BACKUP";
    }
    if (InstanceTask.DELETING.action().equals(action)) {
      return STOPPED_SERVER_STATES.contains(server) ? "SHUTDOWN" : "ERROR";
    }
    return SETTLED_SERVER_STATES.contains(server) ? server : "UNKNOWN";
  }

  private static String statusOfTask(String action, String serverStatus) {
    switch (action) {
      case "BUILDING":
        return "ERROR".equalsIgnoreCase(serverStatus) ? "ERROR" : "BUILD";
      case "REBOOTING":
        return "REBOOT";
      case "RESIZING":
        return "RESIZE";
      case "UPGRADING":
        return "UPGRADE";
      case "RESTART_REQUIRED":
        return "RESTART_REQUIRED";
      case "PROMOTING":
        return "PROMOTE";
      case "EJECTING":
        return "EJECT";
      case "LOGGING":
        return "LOGGING";
      case "DETACHING":
        return "DETACH";
      default:
        return null;
    }
  }

  /**
   * The service status as the API sees it: a guest whose last heartbeat is at least {@code expiry}
   * old while the instance has no task is taken as {@link ServiceStatus#FAILED_TIMEOUT_GUESTAGENT}.
   * Nothing is stored; this is evaluated on read.
   *
   * @param task the instance's task
   * @param stored the stored service status
   * @param heartbeatAt when the service status was last updated ({@code null}: never)
   * @param now the current time
   * @param expiry the heartbeat expiry
   */
  public static ServiceStatus effectiveService(
      InstanceTask task, ServiceStatus stored, Instant heartbeatAt, Instant now, Duration expiry) {
    if (task == InstanceTask.NONE
        && stored != ServiceStatus.RESTART_REQUIRED
        && isSilent(heartbeatAt, now, expiry)) {
      return ServiceStatus.FAILED_TIMEOUT_GUESTAGENT;
    }
    return stored;
  }

  /** True when a heartbeat stored at {@code heartbeatAt} has expired at {@code now}. */
  public static boolean isSilent(Instant heartbeatAt, Instant now, Duration expiry) {
    return heartbeatAt == null || Duration.between(heartbeatAt, now).compareTo(expiry) >= 0;
  }

  /**
   * The API {@code operating_status}: empty unless the instance has no task and its server is
   * {@code ACTIVE}; then the API status of the (effective) service status.
   */
  public static String operatingStatus(
      InstanceTask task, String serverStatus, ServiceStatus effectiveService) {
    if (task != InstanceTask.NONE || !"ACTIVE".equalsIgnoreCase(serverStatus)) {
      return "";
    }
    return effectiveService.apiStatus();
  }

  /**
   * Trove's "can perform action" gate (§3.4): the server is ACTIVE, the task is NONE or
   * RESTART_REQUIRED, the service is in a stable state and no backup runs.
   *
   * @return {@code null} when an action may run, else the status that forbids it (for the message)
   */
  public static String blockingStatus(
      InstanceTask task, String serverStatus, ServiceStatus service, boolean backupRunning) {
    if (!"ACTIVE".equalsIgnoreCase(serverStatus) && !"HEALTHY".equalsIgnoreCase(serverStatus)) {
      return status(task, serverStatus, service, backupRunning);
    }
    if (task != InstanceTask.NONE && task != InstanceTask.RESTART_REQUIRED) {
      return status(task, serverStatus, service, backupRunning);
    }
    switch (service) {
      case RUNNING, SHUTDOWN, CRASHED, BLOCKED, HEALTHY, RESTART_REQUIRED:
        break;
      default:
        return service.apiStatus();
    }
    return backupRunning ? "BACKUP" : null;
  }
}
