package io.coffer.taskmanager;

import static org.assertj.core.api.Assertions.assertThat;

import io.coffer.taskmanager.compute.CatalogSync;
import io.coffer.testing.Db;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The local driver's volume types reach the table the API lists. */
@QuarkusTest
class CatalogSyncTest {

  @Inject CatalogSync sync;

  @Test
  void theLocalDriverOffersItsOneKindOfVolumeAndNothingElse() {
    String stale = UUID.randomUUID().toString();
    Db.update(
        "INSERT INTO volume_types (id, name, created, updated) VALUES (?, 'ssd', now(), now())",
        stale);

    assertThat(sync.syncVolumeTypes()).isEqualTo(1);

    assertThat(Db.value("SELECT name FROM volume_types WHERE id = 'local' AND NOT deleted"))
        .isEqualTo("local");
    assertThat(Db.value("SELECT deleted FROM volume_types WHERE id = ?", stale)).isEqualTo(true);
  }
}
