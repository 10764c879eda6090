package io.coffer.guest.datastore.mysql;

import io.coffer.guest.datastore.GuestError;
import io.coffer.model.secret.Secret;
import java.util.regex.Pattern;

/**
 * Quoting for what MySQL cannot bind (database and account names in CREATE/GRANT/RENAME, passwords
 * in CREATE/ALTER USER). Every name is checked against Trove's MySQL rules and then quoted, so no
 * statement is ever built from unquoted input; a statement holding a password is never logged.
 */
final class MySqlIdentifiers {

  /** Database names: up to 64 characters, no quotes, slashes, dots or control characters. */
  private static final Pattern DATABASE = Pattern.compile("[^'\"`\\\\/.\\x00-\\x1f]{1,64}");

  /** User names: up to 80 characters (MariaDB), no quotes, backslashes or control characters. */
  private static final Pattern USER = Pattern.compile("[^'\"`\\\\;,/\\x00-\\x1f]{1,80}");

  /** Hosts: a name, an address, with % and _ wildcards, or an address with a netmask. */
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.:%_/-]{1,255}");

  /** Character sets and collations are plain identifiers. */
  private static final Pattern CHARSET = Pattern.compile("[A-Za-z0-9_]{1,64}");

  private MySqlIdentifiers() {}

  /** A database name in backquotes; {@code BadRequest} when it is not valid. */
  static String database(String name) {
    if (name == null || !DATABASE.matcher(name).matches()) {
      throw GuestError.badRequest("'" + name + "' is not a valid database name.");
    }
    return '`' + name.replace("`", "``") + '`';
  }

  /**
   * A database name as the pattern of a database-level grant: {@code _} and {@code %} are wildcards
   * there, so a grant on {@code my_db} would also cover {@code myXdb} unless escaped.
   */
  static String grantTarget(String name) {
    database(name);
    return '`' + name.replace("\\", "\\\\").replace("_", "\\_").replace("%", "\\%") + '`';
  }

  /** The database a row of {@code mysql.db} names (its pattern unescaped). */
  static String fromGrantTarget(String pattern) {
    return pattern.replace("\\_", "_").replace("\\%", "%").replace("\\\\", "\\");
  }

  /** {@code 'user'@'host'}; {@code BadRequest} for a name or host that is not valid. */
  static String account(String user, String host) {
    if (user == null || !USER.matcher(user).matches()) {
      throw GuestError.badRequest("'" + user + "' is not a valid user name.");
    }
    String h = host == null || host.isEmpty() ? "%" : host;
    if (!HOST.matcher(h).matches()) {
      throw GuestError.badRequest("'" + h + "' is not a valid host.");
    }
    return literal(user) + "@" + literal(h);
  }

  /** A character set or collation name. */
  static String charset(String name) {
    if (!CHARSET.matcher(name).matches()) {
      throw GuestError.badRequest("'" + name + "' is not a valid character set or collation.");
    }
    return name;
  }

  /** A password literal. */
  static String literal(Secret secret) {
    if (secret == null || secret.isBlank()) {
      throw GuestError.badRequest("The password must not be empty.");
    }
    return literal(secret.value());
  }

  /**
   * A string literal: backslashes and quotes doubled (the server's default SQL mode reads a
   * backslash as an escape; the guest never sets NO_BACKSLASH_ESCAPES on its sessions).
   */
  static String literal(String value) {
    if (value.indexOf('\0') >= 0) {
      throw GuestError.badRequest("A value must not contain NUL characters.");
    }
    return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
  }
}
