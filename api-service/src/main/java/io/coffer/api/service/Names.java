package io.coffer.api.service;

import io.coffer.api.fault.CofferException;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Database and user names a datastore accepts, and the names it keeps for itself. Checked at the
 * API (400 with a clear reason) and again on the guest.
 */
public final class Names {

  private static final Pattern PG_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]{0,62}");
  private static final Pattern MYSQL_DB = Pattern.compile("[A-Za-z0-9_-]+[\\s?#@]*[A-Za-z0-9_-]*");
  private static final Pattern MYSQL_USER = Pattern.compile("[^'\";`,/\\\\]{1,16}");

  private static final Set<String> PG_RESERVED_DATABASES =
      Set.of("postgres", "template0", "template1");
  private static final Set<String> PG_RESERVED_USERS =
      Set.of("postgres", "os_admin", "root", "replicator");
  private static final Set<String> MYSQL_RESERVED_DATABASES =
      Set.of("mysql", "information_schema", "performance_schema", "sys");
  private static final Set<String> MYSQL_RESERVED_USERS = Set.of("os_admin", "root");

  private Names() {}

  /** Whether a database name is one the datastore keeps for itself (hidden, not deletable). */
  public static boolean reservedDatabase(String manager, String name) {
    return (isPostgres(manager) ? PG_RESERVED_DATABASES : MYSQL_RESERVED_DATABASES).contains(name);
  }

  /** Whether a user name is one the datastore keeps for itself. */
  public static boolean reservedUser(String manager, String name) {
    return (isPostgres(manager) ? PG_RESERVED_USERS : MYSQL_RESERVED_USERS).contains(name);
  }

  /** 400 unless the name is a valid, unreserved database name. */
  public static void checkDatabase(String manager, String name) {
    boolean valid =
        isPostgres(manager)
            ? PG_NAME.matcher(name).matches()
            : name.length() <= 64 && MYSQL_DB.matcher(name).matches();
    if (!valid) {
      throw CofferException.badRequest("'" + name + "' is not a valid database name.");
    }
    if (reservedDatabase(manager, name)) {
      throw CofferException.badRequest("'" + name + "' is a reserved database name.");
    }
  }

  /** 400 unless the name is a valid, unreserved user name. */
  public static void checkUser(String manager, String name) {
    boolean valid =
        isPostgres(manager)
            ? PG_NAME.matcher(name).matches()
            : MYSQL_USER.matcher(name).matches() && name.strip().equals(name);
    if (!valid) {
      throw CofferException.badRequest("'" + name + "' is not a valid user name.");
    }
    if (reservedUser(manager, name)) {
      throw CofferException.badRequest("'" + name + "' is a reserved user name.");
    }
  }

  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.:%_/-]{1,255}");

  /**
   * 400 unless the host is one MySQL accepts for an account: a name or address, with {@code %} and
   * {@code _} wildcards, or an address with a netmask. {@code null} (any host) passes.
   */
  public static String checkHost(String host) {
    if (host != null && !HOST.matcher(host).matches()) {
      throw CofferException.badRequest("'" + host + "' is not a valid host.");
    }
    return host;
  }

  private static boolean isPostgres(String manager) {
    return manager == null || manager.equals("postgresql");
  }
}
