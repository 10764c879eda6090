package io.coffer.model;

import static io.coffer.model.status.InstanceStatusRules.blockingStatus;
import static io.coffer.model.status.InstanceStatusRules.effectiveService;
import static io.coffer.model.status.InstanceStatusRules.operatingStatus;
import static io.coffer.model.status.InstanceStatusRules.status;
import static org.assertj.core.api.Assertions.assertThat;

import io.coffer.model.status.BackupState;
import io.coffer.model.status.InstanceTask;
import io.coffer.model.status.ServiceStatus;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StatusRulesTest {

  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration EXPIRY = Duration.ofSeconds(90);

  @Test
  void serviceStatusesCarryTroveCodesIncludingTheCollision() {
    assertThat(ServiceStatus.HEALTHY.code()).isEqualTo(33);
    assertThat(ServiceStatus.NEW.code()).isEqualTo(0x17);
    assertThat(ServiceStatus.UPGRADING.code()).isEqualTo(ServiceStatus.RESTARTING.code());
    assertThat(ServiceStatus.fromCode(0x22)).contains(ServiceStatus.RESTARTING);
    assertThat(ServiceStatus.fromDescription("upgrading")).contains(ServiceStatus.UPGRADING);
    assertThat(ServiceStatus.fromDescription("failed to spawn")).contains(ServiceStatus.FAILED);
    assertThat(ServiceStatus.fromDescription("HEALTHY")).contains(ServiceStatus.HEALTHY);
    assertThat(ServiceStatus.fromDescription("nonsense")).isEmpty();
    assertThat(ServiceStatus.RUNNING.apiStatus()).isEqualTo("ACTIVE");
    assertThat(ServiceStatus.CRASHED.apiStatus()).isEqualTo("SHUTDOWN");
  }

  @Test
  void tasksCarryTroveCodesAndTexts() {
    assertThat(InstanceTask.BUILDING.code()).isEqualTo(5);
    assertThat(InstanceTask.UPGRADING.code()).isEqualTo(0x59);
    assertThat(InstanceTask.BUILDING_ERROR_TIMEOUT_GA.action()).isEqualTo("ERROR");
    assertThat(InstanceTask.BUILDING_ERROR_SERVER.isError()).isTrue();
    assertThat(InstanceTask.fromDbText("The instance is building."))
        .contains(InstanceTask.BUILDING);
    assertThat(InstanceTask.fromCode(0x55)).contains(InstanceTask.PROMOTION_ERROR);
  }

  @Test
  void statusFollowsTroveOrder() {
    ServiceStatus ok = ServiceStatus.HEALTHY;
    assertThat(status(InstanceTask.BUILDING_ERROR_SERVER, "ACTIVE", ok, false)).isEqualTo("ERROR");
    assertThat(status(InstanceTask.BUILDING, "BUILD", ServiceStatus.NEW, false)).isEqualTo("BUILD");
    assertThat(status(InstanceTask.BUILDING, "ERROR", ServiceStatus.NEW, false)).isEqualTo("ERROR");
    assertThat(status(InstanceTask.REBOOTING, "ACTIVE", ok, false)).isEqualTo("REBOOT");
    assertThat(status(InstanceTask.RESIZING, "ACTIVE", ok, false)).isEqualTo("RESIZE");
    assertThat(status(InstanceTask.UPGRADING, "ACTIVE", ok, false)).isEqualTo("UPGRADE");
    assertThat(status(InstanceTask.RESTART_REQUIRED, "ACTIVE", ok, true))
        .isEqualTo("RESTART_REQUIRED");
    assertThat(status(InstanceTask.PROMOTING, "ACTIVE", ok, false)).isEqualTo("PROMOTE");
    assertThat(status(InstanceTask.EJECTING, "ACTIVE", ok, false)).isEqualTo("EJECT");
    assertThat(status(InstanceTask.DETACHING, "ACTIVE", ok, false)).isEqualTo("DETACH");
    assertThat(status(InstanceTask.NONE, "ACTIVE", ok, true)).isEqualTo("BACKUP");
    assertThat(status(InstanceTask.NONE, "REBOOT", ok, true)).isEqualTo("REBOOT");
    assertThat(status(InstanceTask.NONE, "VERIFY_RESIZE", ok, false)).isEqualTo("RESIZE");
    assertThat(status(InstanceTask.DELETING, "ACTIVE", ok, false)).isEqualTo("SHUTDOWN");
    assertThat(status(InstanceTask.DELETING, "MISSING", ok, false)).isEqualTo("ERROR");
    assertThat(status(InstanceTask.DELETING, "MISSING", ServiceStatus.UNKNOWN, false))
        .isEqualTo("SHUTDOWN");
    assertThat(status(InstanceTask.NONE, "ACTIVE", ok, false)).isEqualTo("ACTIVE");
    assertThat(status(InstanceTask.NONE, "SHUTDOWN", ok, false)).isEqualTo("SHUTDOWN");
    assertThat(status(InstanceTask.NONE, "PAUSED", ok, false)).isEqualTo("UNKNOWN");
  }

  @Test
  void operatingStatusIsEmptyUnlessIdleAndActive() {
    assertThat(operatingStatus(InstanceTask.BUILDING, "BUILD", ServiceStatus.NEW)).isEmpty();
    assertThat(operatingStatus(InstanceTask.REBOOTING, "ACTIVE", ServiceStatus.HEALTHY)).isEmpty();
    assertThat(operatingStatus(InstanceTask.NONE, "SHUTDOWN", ServiceStatus.HEALTHY)).isEmpty();
    assertThat(operatingStatus(InstanceTask.NONE, "ACTIVE", ServiceStatus.HEALTHY))
        .isEqualTo("HEALTHY");
    assertThat(operatingStatus(InstanceTask.NONE, "ACTIVE", ServiceStatus.RUNNING))
        .isEqualTo("ACTIVE");
  }

  @Test
  void anExpiredHeartbeatReadsAsGuestagentError() {
    Instant fresh = NOW.minusSeconds(89);
    Instant stale = NOW.minusSeconds(90);
    assertThat(effectiveService(InstanceTask.NONE, ServiceStatus.HEALTHY, fresh, NOW, EXPIRY))
        .isEqualTo(ServiceStatus.HEALTHY);
    ServiceStatus expired =
        effectiveService(InstanceTask.NONE, ServiceStatus.HEALTHY, stale, NOW, EXPIRY);
    assertThat(expired).isEqualTo(ServiceStatus.FAILED_TIMEOUT_GUESTAGENT);
    assertThat(operatingStatus(InstanceTask.NONE, "ACTIVE", expired)).isEqualTo("ERROR");
    assertThat(status(InstanceTask.NONE, "ACTIVE", expired, false)).isEqualTo("ACTIVE");
    assertThat(
            effectiveService(InstanceTask.NONE, ServiceStatus.RESTART_REQUIRED, stale, NOW, EXPIRY))
        .isEqualTo(ServiceStatus.RESTART_REQUIRED);
    assertThat(effectiveService(InstanceTask.BUILDING, ServiceStatus.NEW, null, NOW, EXPIRY))
        .isEqualTo(ServiceStatus.NEW);
  }

  @Test
  void actionsNeedAnIdleActiveInstanceWithoutBackup() {
    assertThat(blockingStatus(InstanceTask.NONE, "ACTIVE", ServiceStatus.HEALTHY, false)).isNull();
    assertThat(
            blockingStatus(
                InstanceTask.RESTART_REQUIRED, "ACTIVE", ServiceStatus.RESTART_REQUIRED, false))
        .isNull();
    assertThat(blockingStatus(InstanceTask.NONE, "ACTIVE", ServiceStatus.HEALTHY, true))
        .isEqualTo("BACKUP");
    assertThat(blockingStatus(InstanceTask.BUILDING, "BUILD", ServiceStatus.NEW, false))
        .isEqualTo("BUILD");
    assertThat(
            blockingStatus(
                InstanceTask.NONE, "ACTIVE", ServiceStatus.FAILED_TIMEOUT_GUESTAGENT, false))
        .isEqualTo("ERROR");
    assertThat(blockingStatus(InstanceTask.NONE, "SHUTDOWN", ServiceStatus.SHUTDOWN, false))
        .isEqualTo("SHUTDOWN");
  }

  @Test
  void backupStates() {
    assertThat(BackupState.BUILDING.isRunning()).isTrue();
    assertThat(BackupState.COMPLETED.isRunning()).isFalse();
    assertThat(BackupState.fromName("completed")).contains(BackupState.COMPLETED);
  }
}
