package io.coffer.model.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Coffer's configuration template for MySQL and MariaDB: the server settings an instance of a
 * flavor gets before any configuration group. The buffer pool takes half the memory of a flavor of
 * 1 GB or more and a quarter of a smaller one (whose server, connections and guest share little).
 */
public final class MySqlDefaults {

  private MySqlDefaults() {}

  /** The default settings for a server with {@code memoryMb} of memory. */
  public static Map<String, Object> forMemory(int memoryMb) {
    int mb = Math.max(memoryMb, 256);
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("max_connections", Math.max(100, mb / 512 * 100));
    v.put("innodb_buffer_pool_size", Math.max(32, mb >= 1024 ? mb / 2 : mb / 4) + "M");
    v.put("innodb_log_file_size", (mb >= 2048 ? 256 : 48) + "M");
    v.put("innodb_log_buffer_size", (mb >= 2048 ? 32 : 8) + "M");
    v.put("table_open_cache", mb >= 2048 ? 4000 : 1000);
    v.put("tmp_table_size", Math.max(16, mb / 32) + "M");
    v.put("max_heap_table_size", Math.max(16, mb / 32) + "M");
    v.put("thread_cache_size", mb >= 2048 ? 32 : 8);
    v.put("performance_schema", "OFF");
    v.put("innodb_flush_log_at_trx_commit", 1);
    v.put("sync_binlog", 1);
    return v;
  }

  /** Renders settings as the {@code [mysqld]} section of an option file. */
  public static String render(Map<String, Object> settings) {
    StringBuilder sb = new StringBuilder("[mysqld]\n");
    settings.forEach((k, val) -> sb.append(k).append(" = ").append(value(val)).append('\n'));
    return sb.toString();
  }

  /** A value as an option file wants it: booleans as ON/OFF, everything else as written. */
  public static String value(Object value) {
    if (value instanceof Boolean b) {
      return b ? "ON" : "OFF";
    }
    String s = String.valueOf(value);
    if (s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0 || s.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("an option value cannot span lines");
    }
    return s;
  }
}
