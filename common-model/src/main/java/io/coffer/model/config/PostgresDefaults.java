package io.coffer.model.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Coffer's configuration template for PostgreSQL: the server settings an instance of a flavor gets
 * before any configuration group. The memory settings follow the usual sizing rules (shared buffers
 * a quarter of the memory, the planner's cache estimate three quarters).
 */
public final class PostgresDefaults {

  private PostgresDefaults() {}

  /** The default settings for a server with {@code memoryMb} of memory, in PostgreSQL's units. */
  public static Map<String, Object> forMemory(int memoryMb) {
    int mb = Math.max(memoryMb, 256);
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("max_connections", mb >= 4096 ? 200 : 100);
    v.put("shared_buffers", (mb / 4) + "MB");
    v.put("effective_cache_size", (mb * 3 / 4) + "MB");
    v.put("work_mem", Math.max(4, mb / 256) + "MB");
    v.put("maintenance_work_mem", Math.max(16, mb / 16) + "MB");
    v.put("wal_buffers", "-1");
    v.put("max_wal_size", "1GB");
    v.put("min_wal_size", "80MB");
    v.put("checkpoint_completion_target", 0.9);
    v.put("random_page_cost", 1.1);
    v.put("effective_io_concurrency", 200);
    v.put("wal_level", "replica");
    v.put("max_wal_senders", 10);
    v.put("hot_standby", "on");
    return v;
  }

  /** Renders settings as {@code postgresql.conf} lines. */
  public static String render(Map<String, Object> settings) {
    StringBuilder sb = new StringBuilder();
    settings.forEach((k, val) -> sb.append(k).append(" = ").append(quote(val)).append('\n'));
    return sb.toString();
  }

  /** A value as postgresql.conf wants it: numbers and booleans bare, strings quoted. */
  public static String quote(Object value) {
    if (value instanceof Number) {
      return value.toString();
    }
    if (value instanceof Boolean b) {
      return b ? "on" : "off";
    }
    return "'" + String.valueOf(value).replace("\\", "\\\\").replace("'", "''") + "'";
  }
}
