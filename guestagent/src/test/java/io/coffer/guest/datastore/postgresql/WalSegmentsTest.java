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
}
