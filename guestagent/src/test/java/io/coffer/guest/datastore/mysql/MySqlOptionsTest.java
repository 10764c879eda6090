package io.coffer.guest.datastore.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import io.coffer.model.config.MySqlDefaults;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MySqlOptionsTest {

  @Test
  void optionFileValuesBecomeSqlValues() {
    assertThat(MySqlManager.sqlValue("128M")).isEqualTo(Long.toString(128L * 1024 * 1024));
    assertThat(MySqlManager.sqlValue("2G")).isEqualTo(Long.toString(2L * 1024 * 1024 * 1024));
    assertThat(MySqlManager.sqlValue("16k")).isEqualTo("16384");
    assertThat(MySqlManager.sqlValue("321")).isEqualTo("321");
    assertThat(MySqlManager.sqlValue("0.5")).isEqualTo("0.5");
    assertThat(MySqlManager.sqlValue("true")).isEqualTo("ON");
    assertThat(MySqlManager.sqlValue("OFF")).isEqualTo("OFF");
    assertThat(MySqlManager.sqlValue("STRICT_TRANS_TABLES,NO_ZERO_DATE"))
        .isEqualTo("'STRICT_TRANS_TABLES,NO_ZERO_DATE'");
    assertThat(MySqlManager.sqlValue("x' OR '1")).isEqualTo("'x'' OR ''1'");
  }

  @Test
  void renderedSettingsReadBack() {
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("max_connections", 321);
    settings.put("slow_query_log", true);
    settings.put("innodb_buffer_pool_size", "128M");
    String file = MySqlDefaults.render(settings);
    assertThat(file).startsWith("[mysqld]\n").contains("slow_query_log = ON\n");
    assertThat(MySqlManager.parseOptions(file))
        .containsEntry("max_connections", "321")
        .containsEntry("slow_query_log", "ON")
        .containsEntry("innodb_buffer_pool_size", "128M")
        .hasSize(3);
  }

  @Test
  void theTemplateFollowsTheFlavor() {
    assertThat(MySqlDefaults.forMemory(512))
        .containsEntry("innodb_buffer_pool_size", "128M")
        .containsEntry("max_connections", 100);
    assertThat(MySqlDefaults.forMemory(4096))
        .containsEntry("innodb_buffer_pool_size", "2048M")
        .containsEntry("max_connections", 800);
  }
}
