package io.coffer.guest.datastore.postgresql;

import static io.coffer.guest.datastore.postgresql.PgIdentifiers.literal;
import static io.coffer.guest.datastore.postgresql.PgIdentifiers.quoted;

import io.coffer.guest.datastore.DatabaseAdmin;
import io.coffer.guest.datastore.GuestError;
import io.coffer.guest.datastore.Page;
import io.coffer.model.guest.DatabaseModel;
import io.coffer.model.guest.UserAttributes;
import io.coffer.model.guest.UserModel;
import io.coffer.model.secret.Secret;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Databases, roles, access and root on the instance's PostgreSQL. Every operation observes before
 * it acts, so a repeated message changes nothing. Names are validated and quoted, passwords never
 * logged.
 */
@ApplicationScoped
public class PgAdmin implements DatabaseAdmin {

  private static final Logger LOG = Logger.getLogger(PgAdmin.class);

  /** Databases and roles the server keeps for itself: hidden from tenants. */
  static final Set<String> SYSTEM_DATABASES = Set.of("postgres", "template0", "template1");

  static final Set<String> SYSTEM_ROLES = Set.of("postgres", "os_admin", "root", "replicator");

  static final String ROOT = "root";

  private static final String DATABASES =
      "SELECT datname FROM pg_database WHERE NOT datistemplate AND datname <> 'postgres'"
          + " AND (datname > ? OR (? AND datname = ?)) ORDER BY datname LIMIT ?";
  private static final String DATABASE_EXISTS = "SELECT 1 FROM pg_database WHERE datname = ?";
  private static final String ROLES =
      "SELECT rolname FROM pg_roles WHERE rolcanlogin AND (rolname > ? OR (? AND rolname = ?))"
          + " AND rolname <> ALL (?) ORDER BY rolname LIMIT ?";
  private static final String ROLE_EXISTS = "SELECT rolcanlogin FROM pg_roles WHERE rolname = ?";
  private static final String ACCESS =
      "SELECT d.datname FROM pg_database d, aclexplode(d.datacl) a, pg_roles r"
          + " WHERE r.oid = a.grantee AND r.rolname = ? AND a.privilege_type = 'CONNECT'"
          + " AND NOT d.datistemplate AND d.datname <> 'postgres' ORDER BY d.datname";

  private final PgServer server;

  PgAdmin(PgServer server) {
    this.server = server;
  }

  /** One page of tenant databases after {@code marker}: {@code [names, nextMarker]}. */
  @Override
  public Page<DatabaseModel> databases(int limit, String marker, boolean includeMarker) {
    List<DatabaseModel> out = new ArrayList<>();
    try (Connection c = server.connect("postgres");
        PreparedStatement ps = c.prepareStatement(DATABASES)) {
      after(ps, marker, includeMarker);
      ps.setInt(4, limit + 1);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(DatabaseModel.named(rs.getString(1)));
        }
      }
    } catch (SQLException e) {
      throw failed("list databases", e);
    }
    return Page.of(out, limit, DatabaseModel::name);
  }

  /** Binds "after the marker" (or "from the marker" when it is included) to parameters 1–3. */
  private static void after(PreparedStatement ps, String marker, boolean includeMarker)
      throws SQLException {
    ps.setString(1, marker == null ? "" : marker);
    ps.setBoolean(2, marker != null && includeMarker);
    ps.setString(3, marker == null ? "" : marker);
  }

  /** Creates databases that do not exist yet; tenants get no access to them until granted. */
  @Override
  public void createDatabases(List<DatabaseModel> databases) {
    try (Connection c = server.connect("postgres")) {
      for (DatabaseModel db : databases) {
        if (SYSTEM_DATABASES.contains(db.name())) {
          throw GuestError.badRequest("'" + db.name() + "' is a reserved database name.");
        }
        if (exists(c, DATABASE_EXISTS, db.name())) {
          continue;
        }
        StringBuilder sql = new StringBuilder("CREATE DATABASE ").append(quoted(db.name()));
        if (db.characterSet() != null && !db.characterSet().isBlank()) {
          sql.append(" ENCODING ").append(literal(db.characterSet())).append(" TEMPLATE template0");
        }
        if (db.collate() != null && !db.collate().isBlank()) {
          sql.append(" LC_COLLATE ")
              .append(literal(db.collate()))
              .append(" LC_CTYPE ")
              .append(literal(db.collate()));
          if (db.characterSet() == null || db.characterSet().isBlank()) {
            sql.append(" TEMPLATE template0");
          }
        }
        execute(c, sql.toString());
        // every role may connect to a new database by default; tenants get access by grants
        execute(c, "REVOKE CONNECT, TEMPORARY ON DATABASE " + quoted(db.name()) + " FROM PUBLIC");
        LOG.infof("database %s created", db.name());
      }
    } catch (SQLException e) {
      throw failed("create databases", e);
    }
  }

  /** Drops a database (ending its sessions); a missing one is not an error. */
  @Override
  public void deleteDatabase(String name) {
    if (SYSTEM_DATABASES.contains(name)) {
      throw GuestError.badRequest("'" + name + "' is a reserved database name.");
    }
    try (Connection c = server.connect("postgres")) {
      execute(c, "DROP DATABASE IF EXISTS " + quoted(name) + " WITH (FORCE)");
      LOG.infof("database %s dropped", name);
    } catch (SQLException e) {
      throw failed("drop database " + name, e);
    }
  }

  /** One page of tenant roles. */
  @Override
  public Page<UserModel> users(int limit, String marker, boolean includeMarker) {
    List<UserModel> out = new ArrayList<>();
    try (Connection c = server.connect("postgres")) {
      List<String> names = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(ROLES)) {
        after(ps, marker, includeMarker);
        ps.setArray(4, c.createArrayOf("text", SYSTEM_ROLES.toArray()));
        ps.setInt(5, limit + 1);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            names.add(rs.getString(1));
          }
        }
      }
      for (String n : names) {
        out.add(new UserModel(n, UserModel.ANY_HOST, null, access(c, n), false));
      }
    } catch (SQLException e) {
      throw failed("list users", e);
    }
    return Page.of(out, limit, UserModel::name);
  }

  /** A tenant role, or {@code null}. */
  @Override
  public UserModel user(String name, String host) {
    try (Connection c = server.connect("postgres")) {
      if (!exists(c, ROLE_EXISTS, name)) {
        return null;
      }
      return new UserModel(name, UserModel.ANY_HOST, null, access(c, name), false);
    } catch (SQLException e) {
      throw failed("read user " + name, e);
    }
  }

  private static List<DatabaseModel> access(Connection c, String role) throws SQLException {
    List<DatabaseModel> dbs = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(ACCESS)) {
      ps.setString(1, role);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          dbs.add(DatabaseModel.named(rs.getString(1)));
        }
      }
    }
    return dbs;
  }

  /** Databases a role may connect to. */
  @Override
  public List<DatabaseModel> access(String role, String host) {
    try (Connection c = server.connect("postgres")) {
      if (!exists(c, ROLE_EXISTS, role)) {
        throw GuestError.notFound("User", "User " + role + " cannot be found on the instance.");
      }
      return access(c, role);
    } catch (SQLException e) {
      throw failed("read access of " + role, e);
    }
  }

  /** Creates roles that do not exist yet and grants them their databases. */
  @Override
  public void createUsers(List<UserModel> users) {
    for (UserModel u : users) {
      if (SYSTEM_ROLES.contains(u.name())) {
        throw GuestError.badRequest("'" + u.name() + "' is a reserved user name.");
      }
      try (Connection c = server.connect("postgres")) {
        if (!exists(c, ROLE_EXISTS, u.name())) {
          executeSecret(
              c, "CREATE ROLE " + quoted(u.name()) + " LOGIN PASSWORD " + literal(u.password()));
          LOG.infof("user %s created", u.name());
        }
      } catch (SQLException e) {
        throw failed("create user " + u.name(), e);
      }
      List<String> dbs = u.databasesOrEmpty().stream().map(DatabaseModel::name).toList();
      if (!dbs.isEmpty()) {
        grant(u.name(), null, dbs);
      }
    }
  }

  /** Drops a role after taking away what it owns and may do in each database. */
  @Override
  public void deleteUser(String name, String host) {
    if (SYSTEM_ROLES.contains(name)) {
      throw GuestError.badRequest("'" + name + "' is a reserved user name.");
    }
    try (Connection c = server.connect("postgres")) {
      if (!exists(c, ROLE_EXISTS, name)) {
        return;
      }
      for (DatabaseModel db : allDatabases(c)) {
        try (Connection inDb = server.connect(db.name())) {
          execute(inDb, "REASSIGN OWNED BY " + quoted(name) + " TO postgres");
          execute(inDb, "DROP OWNED BY " + quoted(name));
        }
      }
      execute(c, "DROP ROLE IF EXISTS " + quoted(name));
      LOG.infof("user %s dropped", name);
    } catch (SQLException e) {
      throw failed("drop user " + name, e);
    }
  }

  private List<DatabaseModel> allDatabases(Connection c) throws SQLException {
    List<DatabaseModel> out = new ArrayList<>();
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT datname FROM pg_database WHERE datallowconn ORDER BY datname")) {
      while (rs.next()) {
        out.add(DatabaseModel.named(rs.getString(1)));
      }
    }
    return out;
  }

  /** Renames a role and/or sets its password. */
  @Override
  public void updateUser(String name, String host, UserAttributes attributes) {
    updateUser(name, attributes.name(), attributes.password());
  }

  /** Renames a role and/or sets its password. */
  void updateUser(String name, String newName, Secret password) {
    try (Connection c = server.connect("postgres")) {
      if (!exists(c, ROLE_EXISTS, name)) {
        throw GuestError.notFound("User", "User " + name + " cannot be found on the instance.");
      }
      String current = name;
      if (newName != null && !newName.equals(name)) {
        if (SYSTEM_ROLES.contains(newName)) {
          throw GuestError.badRequest("'" + newName + "' is a reserved user name.");
        }
        execute(c, "ALTER ROLE " + quoted(name) + " RENAME TO " + quoted(newName));
        current = newName;
      }
      if (password != null) {
        executeSecret(c, "ALTER ROLE " + quoted(current) + " PASSWORD " + literal(password));
      }
    } catch (SQLException e) {
      throw failed("update user " + name, e);
    }
  }

  /** Sets the password of the admin role (a restored server still has its source's). */
  public void setAdminPassword(Secret password) {
    try (Connection c = server.connect("postgres")) {
      executeSecret(
          c, "ALTER ROLE " + quoted(server.adminRole()) + " PASSWORD " + literal(password));
    } catch (SQLException e) {
      throw failed("set the admin password", e);
    }
  }

  /** Grants a role every privilege on databases (connect, and use of their public schema). */
  @Override
  public void grant(String role, String host, List<String> databases) {
    try (Connection c = server.connect("postgres")) {
      if (!exists(c, ROLE_EXISTS, role)) {
        throw GuestError.notFound("User", "User " + role + " cannot be found on the instance.");
      }
      for (String db : databases) {
        if (!exists(c, DATABASE_EXISTS, db)) {
          throw GuestError.notFound(
              "Database", "Database " + db + " cannot be found on the instance.");
        }
        execute(c, "GRANT ALL ON DATABASE " + quoted(db) + " TO " + quoted(role));
        try (Connection inDb = server.connect(db)) {
          execute(inDb, "GRANT ALL ON SCHEMA public TO " + quoted(role));
        }
      }
    } catch (SQLException e) {
      throw failed("grant access to " + role, e);
    }
  }

  /** Revokes a role's privileges on a database; it can no longer connect to it. */
  @Override
  public void revoke(String role, String host, String database) {
    try (Connection c = server.connect("postgres")) {
      if (!exists(c, DATABASE_EXISTS, database)) {
        return;
      }
      execute(c, "REVOKE ALL ON DATABASE " + quoted(database) + " FROM " + quoted(role));
      try (Connection inDb = server.connect(database)) {
        execute(inDb, "REVOKE ALL ON SCHEMA public FROM " + quoted(role));
      }
    } catch (SQLException e) {
      throw failed("revoke access of " + role, e);
    }
  }

  /** Enables the superuser {@code root} with a password (a generated one when null). */
  @Override
  public UserModel enableRoot(Secret password) {
    Secret pw = password == null ? server.newPassword() : password;
    try (Connection c = server.connect("postgres")) {
      String verb =
          exists(c, "SELECT 1 FROM pg_roles WHERE rolname = ?", ROOT) ? "ALTER" : "CREATE";
      executeSecret(
          c,
          verb
              + " ROLE "
              + ROOT
              + " SUPERUSER CREATEDB CREATEROLE INHERIT REPLICATION BYPASSRLS LOGIN PASSWORD "
              + literal(pw));
      LOG.info("root enabled");
    } catch (SQLException e) {
      throw failed("enable root", e);
    }
    return new UserModel(ROOT, UserModel.ANY_HOST, pw, List.of(), true);
  }

  /** Disables root: a new random password and no login. */
  @Override
  public void disableRoot() {
    try (Connection c = server.connect("postgres")) {
      if (exists(c, "SELECT 1 FROM pg_roles WHERE rolname = ?", ROOT)) {
        executeSecret(
            c, "ALTER ROLE " + ROOT + " NOLOGIN PASSWORD " + literal(server.newPassword()));
      }
      LOG.info("root disabled");
    } catch (SQLException e) {
      throw failed("disable root", e);
    }
  }

  /** Whether root may log in. */
  @Override
  public boolean rootEnabled() {
    try (Connection c = server.connect("postgres")) {
      return exists(c, ROLE_EXISTS, ROOT);
    } catch (SQLException e) {
      throw failed("read root", e);
    }
  }

  private static boolean exists(Connection c, String sql, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return false;
        }
        // ROLE_EXISTS answers rolcanlogin: a role that cannot log in is not a tenant user
        return !sql.equals(ROLE_EXISTS) || rs.getBoolean(1);
      }
    }
  }

  private static void execute(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  /** Runs a statement holding a password: on failure, the message says what, never the SQL. */
  private static void executeSecret(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute(sql);
    } catch (SQLException e) {
      throw new SQLException("statement with a password failed (" + e.getSQLState() + ")");
    }
  }

  private static GuestError failed(String what, SQLException e) {
    LOG.warnf("cannot %s: %s", what, e.getMessage());
    return new GuestError("cannot " + what + ": " + e.getMessage(), e);
  }
}
