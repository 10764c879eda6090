package io.coffer.model.status;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The task an instance is in ({@code instances.task_id} / {@code task_description}), with Trove's
 * codes, actions and texts. Error tasks make the API status {@code ERROR}.
 *
 * <p>Codes from {@code 0x60} are Coffer's: Trove leaves an instance whose restart, resize or delete
 * failed in {@code NONE}; Coffer records the failure so the instance shows {@code ERROR}.
 */
public enum InstanceTask {
  NONE(0x01, "NONE", "No tasks for the instance."),
  DELETING(0x02, "DELETING", "Deleting the instance."),
  REBOOTING(0x03, "REBOOTING", "Rebooting the instance."),
  RESIZING(0x04, "RESIZING", "Resizing the instance."),
  BUILDING(0x05, "BUILDING", "The instance is building."),
  MIGRATING(0x06, "MIGRATING", "Migrating the instance."),
  RESTART_REQUIRED(0x07, "RESTART_REQUIRED", "Instance requires a restart."),
  PROMOTING(0x08, "PROMOTING", "Promoting the instance to replica source."),
  EJECTING(0x09, "EJECTING", "Ejecting the replica source."),
  LOGGING(0x0a, "LOGGING", "Transferring guest logs."),
  DETACHING(0x0b, "DETACHING", "Detaching the instance from replica source."),
  UPDATING(0x0c, "UPDATING", "Updating the instance."),
  UPGRADING(0x59, "UPGRADING", "Upgrading the instance."),

  BUILDING_ERROR_DNS(0x50, "BUILDING", "Build error: DNS.", true),
  BUILDING_ERROR_SERVER(0x51, "BUILDING", "Build error: Server.", true),
  BUILDING_ERROR_VOLUME(0x52, "BUILDING", "Build error: Volume.", true),
  BUILDING_ERROR_SEC_GROUP(0x53, "BUILDING", "Build error: Secgroup or rule.", true),
  BUILDING_ERROR_REPLICA(0x54, "BUILDING", "Build error: Replica.", true),
  PROMOTION_ERROR(0x55, "PROMOTING", "Replica Promotion Error.", true),
  EJECTION_ERROR(0x56, "EJECTING", "Replica Source Ejection Error.", true),
  GROWING_ERROR(0x57, "GROWING", "Growing Cluster Error.", true),
  SHRINKING_ERROR(0x58, "SHRINKING", "Shrinking Cluster Error.", true),
  UPGRADING_ERROR(0x5a, "UPGRADING", "Upgrading Cluster Error.", true),
  BUILDING_ERROR_TIMEOUT_GA(0x5b, "ERROR", "Build error: guestagent timeout.", true),
  BUILDING_ERROR_PORT(0x5c, "BUILDING", "Build error: Port.", true),
  UPDATING_ERROR_ACCESS(0x5d, "UPDATING", "Update error: Access.", true),

  /** Coffer: a restart or reboot did not bring the database back within its deadline. */
  REBOOTING_ERROR(0x60, "REBOOTING", "Restart error.", true),
  /** Coffer: a flavor or volume resize failed or passed its deadline. */
  RESIZING_ERROR(0x61, "RESIZING", "Resize error.", true),
  /** Coffer: deleting the instance's resources failed; delete may be retried. */
  DELETING_ERROR(0x62, "DELETING", "Delete error.", true),
  /** Coffer: detaching a replica failed. */
  DETACHING_ERROR(0x63, "DETACHING", "Replica detach error.", true),
  /** Coffer: a configuration or version change failed. */
  UPGRADING_INSTANCE_ERROR(0x64, "UPGRADING", "Upgrade error.", true);

  private static final Map<Integer, InstanceTask> BY_CODE =
      Arrays.stream(values()).collect(Collectors.toMap(InstanceTask::code, Function.identity()));
  private static final Map<String, InstanceTask> BY_TEXT =
      Arrays.stream(values()).collect(Collectors.toMap(InstanceTask::dbText, Function.identity()));

  private final int code;
  private final String action;
  private final String dbText;
  private final boolean error;

  InstanceTask(int code, String action, String dbText) {
    this(code, action, dbText, false);
  }

  InstanceTask(int code, String action, String dbText, boolean error) {
    this.code = code;
    this.action = action;
    this.dbText = dbText;
    this.error = error;
  }

  /** Code stored in {@code instances.task_id}. */
  public int code() {
    return code;
  }

  /** The action the task belongs to, e.g. {@code BUILDING} for every build error. */
  public String action() {
    return action;
  }

  /** Text stored in {@code instances.task_description}; Trove compares tasks by it. */
  public String dbText() {
    return dbText;
  }

  /** True for tasks that make the instance {@code ERROR}. */
  public boolean isError() {
    return error;
  }

  /** The task with this code. */
  public static Optional<InstanceTask> fromCode(int code) {
    return Optional.ofNullable(BY_CODE.get(code));
  }

  /** The task with this description text. */
  public static Optional<InstanceTask> fromDbText(String text) {
    return Optional.ofNullable(BY_TEXT.get(text));
  }
}
