package io.coffer.model.status;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Status of the database service on an instance ({@code service_statuses.status_id} / {@code
 * status_description}), with Trove's codes, the descriptions guests report, and the API status each
 * maps to.
 *
 * <p>Trove quirk kept: {@link #UPGRADING} and {@link #RESTARTING} share code {@code 0x22}; looking
 * the code up yields {@code RESTARTING}, so an instance stored as "upgrading" reads back as
 * restarting. Lookups by description are exact.
 */
public enum ServiceStatus {
  RUNNING(0x01, "running", "ACTIVE"),
  BLOCKED(0x02, "blocked", "BLOCKED"),
  PAUSED(0x03, "paused", "SHUTDOWN"),
  SHUTDOWN(0x04, "shutdown", "SHUTDOWN"),
  DELETED(0x05, "deleted", "DELETED"),
  CRASHED(0x06, "crashed", "SHUTDOWN"),
  FAILED(0x08, "failed to spawn", "FAILED"),
  BUILDING(0x09, "building", "BUILD"),
  PROMOTING(0x10, "promoting replica", "PROMOTE"),
  EJECTING(0x11, "ejecting replica source", "EJECT"),
  LOGGING(0x12, "transferring guest logs", "LOGGING"),
  UNKNOWN(0x16, "unknown", "ERROR"),
  NEW(0x17, "new", "NEW"),
  FAILED_TIMEOUT_GUESTAGENT(0x18, "guestagent error", "ERROR"),
  INSTANCE_READY(0x19, "instance ready", "BUILD"),
  RESTART_REQUIRED(0x20, "restart required", "RESTART_REQUIRED"),
  HEALTHY(0x21, "healthy", "HEALTHY"),
  UPGRADING(0x22, "upgrading", "UPGRADING"),
  RESTARTING(0x22, "restarting", "RESTARTING");

  private static final Map<String, ServiceStatus> BY_DESCRIPTION =
      Arrays.stream(values())
          .collect(Collectors.toMap(ServiceStatus::description, Function.identity()));
  private static final Map<Integer, ServiceStatus> BY_CODE =
      Arrays.stream(values())
          .collect(
              Collectors.toMap(ServiceStatus::code, Function.identity(), (first, later) -> later));

  private final int code;
  private final String description;
  private final String apiStatus;

  ServiceStatus(int code, String description, String apiStatus) {
    this.code = code;
    this.description = description;
    this.apiStatus = apiStatus;
  }

  /** Code stored in {@code service_statuses.status_id}. */
  public int code() {
    return code;
  }

  /** Description guests report and {@code status_description} stores. */
  public String description() {
    return description;
  }

  /** The value shown as {@code operating_status}. */
  public String apiStatus() {
    return apiStatus;
  }

  /** The status a guest's description names. */
  public static Optional<ServiceStatus> fromDescription(String description) {
    return Optional.ofNullable(description).map(d -> BY_DESCRIPTION.get(d.toLowerCase()));
  }

  /** The status of a stored code; {@code 0x22} yields {@link #RESTARTING} as in Trove. */
  public static Optional<ServiceStatus> fromCode(int code) {
    return Optional.ofNullable(BY_CODE.get(code));
  }

  /** True when the database answers queries (Trove's responsive statuses). */
  public boolean isResponsive() {
    return this == RUNNING || this == HEALTHY;
  }
}
