package io.coffer.guest.datastore;

import io.coffer.model.guest.DatabaseModel;
import io.coffer.model.guest.UserAttributes;
import io.coffer.model.guest.UserModel;
import io.coffer.model.secret.Secret;
import java.util.List;

/**
 * The tenant's databases, users, grants and root account. One per engine; an engine without hosts
 * in its user identity (PostgreSQL) ignores them.
 */
public interface DatabaseAdmin {

  /** One page of tenant databases after (or from) {@code marker}. */
  Page<DatabaseModel> databases(int limit, String marker, boolean includeMarker);

  /** Creates databases that do not exist yet. */
  void createDatabases(List<DatabaseModel> databases);

  /** Drops a database; a missing one is not an error. */
  void deleteDatabase(String name);

  /** One page of tenant users after (or from) {@code marker}. */
  Page<UserModel> users(int limit, String marker, boolean includeMarker);

  /** A tenant user or {@code null}. */
  UserModel user(String name, String host);

  /** Creates users that do not exist yet, with their grants. */
  void createUsers(List<UserModel> users);

  /** Drops a user; a missing one is not an error. */
  void deleteUser(String name, String host);

  /** Changes a user's name, host and/or password (absent attributes stay). */
  void updateUser(String name, String host, UserAttributes attributes);

  /** Databases a user may access. */
  List<DatabaseModel> access(String name, String host);

  /** Grants a user access to databases. */
  void grant(String name, String host, List<String> databases);

  /** Revokes a user's access to a database. */
  void revoke(String name, String host, String database);

  /** Enables root (a generated password when {@code null}); returns root with its password. */
  UserModel enableRoot(Secret password);

  /** Disables root. */
  void disableRoot();

  /** Whether root is enabled. */
  boolean rootEnabled();
}
