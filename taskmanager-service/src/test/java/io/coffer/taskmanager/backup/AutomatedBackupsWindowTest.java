package io.coffer.taskmanager.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AutomatedBackupsWindowTest {

  private static final Duration DAY = Duration.ofHours(24);

  @Test
  void theLatestWindowIsTodaysOnceItBeganElseYesterdays() {
    assertThat(AutomatedBackups.latestWindow("03:00", DAY, Instant.parse("2026-12-07T14:10:00Z")))
        .isEqualTo(Instant.parse("2026-12-07T03:00:00Z"));
    assertThat(AutomatedBackups.latestWindow("03:00", DAY, Instant.parse("2026-12-07T02:59:59Z")))
        .isEqualTo(Instant.parse("2026-12-06T03:00:00Z"));
    assertThat(AutomatedBackups.latestWindow("03:00", DAY, Instant.parse("2026-12-07T03:00:00Z")))
        .isEqualTo(Instant.parse("2026-12-07T03:00:00Z"));
    assertThat(AutomatedBackups.latestWindow("23:30", DAY, Instant.parse("2026-12-07T00:10:00Z")))
        .isEqualTo(Instant.parse("2026-12-06T23:30:00Z"));
  }

  @Test
  void aShorterDayRepeatsTheWindowWithinIt() {
    Duration day = Duration.ofSeconds(15);
    Instant w = AutomatedBackups.latestWindow("03:00", day, Instant.parse("2026-12-07T14:10:07Z"));
    assertThat(w).isBeforeOrEqualTo(Instant.parse("2026-12-07T14:10:07Z"));
    assertThat(Duration.between(w, Instant.parse("2026-12-07T14:10:07Z"))).isLessThan(day);
    assertThat(AutomatedBackups.latestWindow("03:00", day, w.plusSeconds(15)))
        .isEqualTo(w.plusSeconds(15));
  }
}
