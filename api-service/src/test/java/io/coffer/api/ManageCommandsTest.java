package io.coffer.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.coffer.api.manage.ManageAccess;
import io.coffer.testing.Db;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The trove-manage style admin commands. */
@QuarkusTest
class ManageCommandsTest {

  @Inject ManageAccess manage;

  private String run(int expected, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code =
        manage.run(
            List.of(args),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(out, true, StandardCharsets.UTF_8));
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(code).as(text).isEqualTo(expected);
    return text;
  }

  @Test
  void registersADatastoreVersionAndLoadsTheShippedParameterRules() {
    String ds = "pg-" + UUID.randomUUID().toString().substring(0, 8);
    run(0, "datastore_update", ds, "");
    run(0, "datastore_version_update", ds, "15", "postgresql", "", "", "1");
    run(0, "datastore_update", ds, "15");
    String out = run(0, "db_load_datastore_config_parameters", ds, "15");
    assertThat(out).contains("Loaded 42 configuration parameter(s)");
    String version =
        (String)
            Db.value(
                "SELECT v.id FROM datastore_versions v JOIN datastores d ON d.id = v.datastore_id WHERE d.name = ?",
                ds);
    assertThat(Db.value("SELECT default_version_id FROM datastores WHERE name = ?", ds))
        .isEqualTo(version);
    assertThat(
            Db.value(
                "SELECT restart_required FROM datastore_configuration_parameters WHERE datastore_version_id = ? AND name = 'shared_buffers'",
                version))
        .isEqualTo(true);
    assertThat(
            Db.value(
                "SELECT data_type FROM datastore_configuration_parameters WHERE datastore_version_id = ? AND name = 'work_mem'",
                version))
        .isEqualTo("integer");
    // running it again changes nothing
    run(0, "db_load_datastore_config_parameters", ds, "15");
    assertThat(
            Db.value(
                "SELECT count(*) FROM datastore_configuration_parameters WHERE datastore_version_id = ?",
                version))
        .isEqualTo(42L);
    run(0, "datastore_version_update", ds, "15", "postgresql", "", "", "0");
    assertThat(Db.value("SELECT active FROM datastore_versions WHERE id = ?", version))
        .isEqualTo(false);
  }

  @Test
  void mysqlAndMariadbVersionsLoadTheirShippedRules() {
    for (String manager : List.of("mysql", "mariadb")) {
      String ds = manager + "-" + UUID.randomUUID().toString().substring(0, 8);
      run(0, "datastore_update", ds, "");
      run(0, "datastore_version_update", ds, "5.7", manager, "", "", "1");
      String out = run(0, "db_load_datastore_config_parameters", ds, "5.7");
      assertThat(out).contains("Loaded " + (manager.equals("mysql") ? 47 : 52));
      String version =
          (String)
              Db.value(
                  "SELECT v.id FROM datastore_versions v JOIN datastores d ON d.id = v.datastore_id WHERE d.name = ?",
                  ds);
      assertThat(
              Db.value(
                  "SELECT restart_required FROM datastore_configuration_parameters WHERE datastore_version_id = ? AND name = 'max_connections'",
                  version))
          .isEqualTo(false);
      assertThat(
              Db.value(
                  "SELECT restart_required FROM datastore_configuration_parameters WHERE datastore_version_id = ? AND name = 'innodb_log_buffer_size'",
                  version))
          .isEqualTo(true);
    }
  }

  @Test
  void aVersionOfAManagerNoGuestImplementsIsRefused() {
    String ds = "redis-" + UUID.randomUUID().toString().substring(0, 8);
    assertThat(run(1, "datastore_version_update", ds, "7", "redis", "", "", "1"))
        .contains("Datastore manager 'redis' is not supported")
        .contains("mariadb, mysql, postgresql");
    assertThat(Db.value("SELECT count(*) FROM datastores WHERE name = ?", ds)).isEqualTo(0L);
  }

  @Test
  void badCommandsExplainThemselves() {
    assertThat(run(2, "frobnicate")).contains("usage");
    assertThat(run(1, "datastore_version_update", "x", "1", "postgresql", "", "", "maybe"))
        .contains("ACTIVE must be 1 or 0");
    assertThat(run(1, "datastore_update", "nosuch-" + UUID.randomUUID(), "7")).contains("error:");
  }

  @Test
  void createsFlavors() {
    String id = "f-" + UUID.randomUUID().toString().substring(0, 6);
    run(0, "flavor_create", id, "name-" + id, "1024", "1", "5");
    assertThat(Db.value("SELECT ram FROM flavors WHERE id = ?", id)).isEqualTo(1024);
  }
}
