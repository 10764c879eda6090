package io.coffer.guest.datastore.postgresql;

import io.coffer.guest.datastore.GuestError;
import io.coffer.model.secret.Secret;
import java.util.regex.Pattern;

/**
 * Quoting for what PostgreSQL cannot bind (database and role names in CREATE/GRANT, passwords in
 * CREATE/ALTER ROLE). Names are validated first; a statement holding a {@link #literal} is never
 * logged.
 */
final class PgIdentifiers {

  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]{0,62}");

  private PgIdentifiers() {}

  /** A quoted identifier; {@code BadRequest} for a name that is not valid. */
  static String quoted(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw GuestError.badRequest("'" + name + "' is not a valid name.");
    }
    return '"' + name + '"';
  }

  /** A string literal (standard_conforming_strings is on: only quotes are doubled). */
  static String literal(Secret secret) {
    if (secret == null || secret.isBlank()) {
      throw GuestError.badRequest("The password must not be empty.");
    }
    if (secret.value().indexOf('\0') >= 0) {
      throw GuestError.badRequest("The password must not contain NUL characters.");
    }
    return "'" + secret.value().replace("'", "''") + "'";
  }

  /** A literal for a plain (non-secret) value, e.g. an encoding. */
  static String literal(String value) {
    if (value.indexOf('\0') >= 0 || value.length() > 128) {
      throw GuestError.badRequest("'" + value + "' is not a valid value.");
    }
    return "'" + value.replace("'", "''") + "'";
  }
}
