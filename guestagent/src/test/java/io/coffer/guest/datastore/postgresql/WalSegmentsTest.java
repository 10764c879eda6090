package io.coffer.guest.datastore.postgresql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * WAL segment names of the segment holding a position (pg_walfile_name agrees except exactly at a
 * segment boundary, where it names the segment before).
 */
class WalSegmentsTest {

  private static final long MB16 = 16L * 1024 * 1024;

  @Test
  void segmentNamesFollowTimelineAndPosition() {
    // SELECT pg_walfile_name('0/2000028') on timeline 1
    assertThat(PgBackups.segment(1, "0/2000028", MB16)).isEqualTo("000000010000000000000002");
    // the last segment of the first 4 GB, and the first of the next (pg_walfile_name('1/0') names
    // the one before: it reports where the WAL up to that position ends)
    assertThat(PgBackups.segment(1, "0/FFFFFFFF", MB16)).isEqualTo("0000000100000000000000FF");
    assertThat(PgBackups.segment(1, "1/0", MB16)).isEqualTo("000000010000000100000000");
    assertThat(PgBackups.segment(2, "A/3C000100", MB16)).isEqualTo("000000020000000A0000003C");
    // a server initialised with 64 MB segments
    assertThat(PgBackups.segment(1, "0/8000000", 64L * 1024 * 1024))
        .isEqualTo("000000010000000000000002");
  }

  @Test
  void aServerIsIdleSinceTheMarkerOnlyWithNoNewTransactionIdAndNoneOpen() {
    // pg_current_snapshot() as text: xmin:xmax:open-xids; the marker was transaction 741
    assertThat(PgWalArchive.idleSince("742:742:", 741)).isTrue();
    // a transaction was given an id since (it may have committed)
    assertThat(PgWalArchive.idleSince("743:743:", 741)).isFalse();
    // one older than the marker is still open: its commit would come after the marker
    assertThat(PgWalArchive.idleSince("738:742:738", 741)).isFalse();
    assertThat(PgWalArchive.idleSince("742:744:742,743", 741)).isFalse();
  }

  @Test
  void recoveryTargetTimesAreWrittenInTheFormTheServerTakes() {
    // PostgreSQL 15 refuses "2026-12-07T23:56:49.123456Z" as recovery_target_time
    assertThat(PgServer.recoveryTime(java.time.Instant.parse("2026-12-07T23:56:49.123456Z")))
        .isEqualTo("2026-12-07 23:56:49.123456+00");
    assertThat(PgServer.recoveryTime(java.time.Instant.parse("2026-01-02T03:04:05Z")))
        .isEqualTo("2026-01-02 03:04:05.000000+00");
  }
}
