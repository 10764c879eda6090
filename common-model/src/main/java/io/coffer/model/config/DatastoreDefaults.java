package io.coffer.model.config;

import java.util.Map;
import java.util.Set;

/** The configuration template of a datastore manager: its defaults for a flavor, their file. */
public final class DatastoreDefaults {

  /** Managers served by the MySQL/MariaDB engine. */
  public static final Set<String> MYSQL_MANAGERS = Set.of("mysql", "mariadb");

  /** Every manager a Coffer guest agent implements, in order. */
  public static final java.util.List<String> SUPPORTED_MANAGERS =
      java.util.List.of("mariadb", "mysql", "postgresql");

  private DatastoreDefaults() {}

  /** Whether a Coffer guest agent implements {@code manager}. */
  public static boolean supported(String manager) {
    return manager != null && SUPPORTED_MANAGERS.contains(manager);
  }

  /** The message that refuses {@code manager}. */
  public static String unsupportedMessage(String manager) {
    return "Datastore manager '"
        + manager
        + "' is not supported; the supported managers are: "
        + String.join(", ", SUPPORTED_MANAGERS)
        + ".";
  }

  /** Whether {@code manager} is MySQL or MariaDB. */
  public static boolean mysqlFamily(String manager) {
    return manager != null && MYSQL_MANAGERS.contains(manager);
  }

  /** The default settings of {@code manager} for {@code memoryMb} of memory. */
  public static Map<String, Object> forMemory(String manager, int memoryMb) {
    return mysqlFamily(manager)
        ? MySqlDefaults.forMemory(memoryMb)
        : PostgresDefaults.forMemory(memoryMb);
  }

  /** Settings rendered as {@code manager}'s configuration file. */
  public static String render(String manager, Map<String, Object> settings) {
    return mysqlFamily(manager)
        ? MySqlDefaults.render(settings)
        : PostgresDefaults.render(settings);
  }

  /** The port the engine of {@code manager} listens on. */
  public static int port(String manager) {
    return mysqlFamily(manager) ? 3306 : 5432;
  }
}
