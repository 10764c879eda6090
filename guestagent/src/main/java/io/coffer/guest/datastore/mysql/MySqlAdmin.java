package io.coffer.guest.datastore.mysql;

import static io.coffer.guest.datastore.mysql.MySqlIdentifiers.account;
import static io.coffer.guest.datastore.mysql.MySqlIdentifiers.charset;
import static io.coffer.guest.datastore.mysql.MySqlIdentifiers.database;
import static io.coffer.guest.datastore.mysql.MySqlIdentifiers.grantTarget;
import static io.coffer.guest.datastore.mysql.MySqlIdentifiers.literal;

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
import java.util.TreeSet;
import org.jboss.logging.Logger;

/**
 * Databases, accounts and grants on MariaDB, as Trove's MySQL guest does them: a user is {@code
 * name@host}; access to a database is {@code ALL PRIVILEGES} on it; root is {@code root@'%'} with
 * every privilege. System schemas and internal accounts are never listed nor changed.
 */
@ApplicationScoped
public class MySqlAdmin implements DatabaseAdmin {

  private static final Logger LOG = Logger.getLogger(MySqlAdmin.class);

  /** Schemas of the server itself (Trove's {@code ignore_dbs}). */
  static final Set<String> SYSTEM_DATABASES =
      Set.of("mysql", "information_schema", "performance_schema", "sys", "lost+found");

  /** Accounts of the server and the guest (Trove's {@code ignore_users}, and MariaDB's own). */
  static final Set<String> SYSTEM_USERS =
      Set.of("os_admin", "root", "mariadb.sys", "mysql.sys", "mysql.session", "debian-sys-maint");

  static final String ROOT = "root";
  static final String ROOT_HOST = "%";

  private final MySqlServer server;

  MySqlAdmin(MySqlServer server) {
    this.server = server;
  }

  /** The account {@code mariadb-install-db} made for the instance's OS user (socket only). */
  private static final String OS_USER = System.getProperty("user.name");

  /** Whether an account is hidden: internal, or the instance's OS user's socket account. */
  private static boolean internal(String user, String host) {
    return SYSTEM_USERS.contains(user) || "localhost".equals(host) && user.equals(OS_USER);
  }

  @Override
  public Page<DatabaseModel> databases(int limit, String marker, boolean includeMarker) {
    List<DatabaseModel> out = new ArrayList<>();
    String sql =
        "SELECT schema_name, default_character_set_name, default_collation_name"
            + " FROM information_schema.schemata"
            + " WHERE (schema_name > ? OR (? AND schema_name = ?))"
            + " ORDER BY schema_name";
    try (Connection c = server.connect();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, marker == null ? "" : marker);
      ps.setBoolean(2, marker != null && includeMarker);
      ps.setString(3, marker == null ? "" : marker);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next() && out.size() <= limit) {
          String name = rs.getString(1);
          if (!SYSTEM_DATABASES.contains(name)) {
            out.add(new DatabaseModel(name, rs.getString(2), rs.getString(3)));
          }
        }
      }
    } catch (SQLException e) {
      throw failed("list databases", e);
    }
    return Page.of(out, limit, DatabaseModel::name);
  }

  @Override
  public void createDatabases(List<DatabaseModel> databases) {
    try (Connection c = server.connect()) {
      for (DatabaseModel db : databases) {
        reservedDatabase(db.name());
        StringBuilder sql = new StringBuilder("CREATE DATABASE IF NOT EXISTS ");
        sql.append(database(db.name()));
        if (db.characterSet() != null && !db.characterSet().isBlank()) {
          sql.append(" CHARACTER SET ").append(charset(db.characterSet()));
        }
        if (db.collate() != null && !db.collate().isBlank()) {
          sql.append(" COLLATE ").append(charset(db.collate()));
        }
        execute(c, sql.toString());
        LOG.infof("database %s created", db.name());
      }
    } catch (SQLException e) {
      throw failed("create databases", e);
    }
  }

  @Override
  public void deleteDatabase(String name) {
    reservedDatabase(name);
    try (Connection c = server.connect()) {
      execute(c, "DROP DATABASE IF EXISTS " + database(name));
      LOG.infof("database %s dropped", name);
    } catch (SQLException e) {
      throw failed("drop database " + name, e);
    }
  }

  private static void reservedDatabase(String name) {
    if (SYSTEM_DATABASES.contains(name)) {
      throw GuestError.badRequest("'" + name + "' is a reserved database name.");
    }
  }

  private static void reservedUser(String name) {
    if (SYSTEM_USERS.contains(name)) {
      throw GuestError.badRequest("'" + name + "' is a reserved user name.");
    }
  }

  @Override
  public Page<UserModel> users(int limit, String marker, boolean includeMarker) {
    List<String[]> accounts = new ArrayList<>();
    try (Connection c = server.connect()) {
      try (Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "SELECT User, Host FROM mysql.user WHERE is_role = 'N' ORDER BY User, Host")) {
        while (rs.next()) {
          String user = rs.getString(1);
          String host = rs.getString(2);
          if (internal(user, host) || user.isEmpty()) {
            continue;
          }
          // Trove's marker is "name@host", compared as a string
          String key = user + "@" + host;
          int cmp = marker == null ? 1 : key.compareTo(marker);
          if (cmp > 0 || cmp == 0 && includeMarker) {
            accounts.add(new String[] {user, host});
          }
        }
      }
      accounts.sort((a, b) -> (a[0] + "@" + a[1]).compareTo(b[0] + "@" + b[1]));
      List<UserModel> out = new ArrayList<>();
      for (String[] a : accounts.subList(0, Math.min(accounts.size(), limit + 1))) {
        out.add(new UserModel(a[0], a[1], null, access(c, a[0], a[1]), false));
      }
      return Page.of(out, limit, u -> u.name() + "@" + u.host());
    } catch (SQLException e) {
      throw failed("list users", e);
    }
  }

  @Override
  public UserModel user(String name, String host) {
    String h = hostOf(host);
    try (Connection c = server.connect()) {
      if (internal(name, h) || !exists(c, name, h)) {
        return null;
      }
      return new UserModel(name, h, null, access(c, name, h), false);
    } catch (SQLException e) {
      throw failed("read user " + name, e);
    }
  }

  private static String hostOf(String host) {
    return host == null || host.isEmpty() ? UserModel.ANY_HOST : host;
  }

  private static boolean exists(Connection c, String name, String host) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT 1 FROM mysql.user WHERE User = ? AND Host = ?")) {
      ps.setString(1, name);
      ps.setString(2, host);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static List<DatabaseModel> access(Connection c, String name, String host)
      throws SQLException {
    TreeSet<String> dbs = new TreeSet<>();
    try (PreparedStatement ps =
        c.prepareStatement("SELECT Db FROM mysql.db WHERE User = ? AND Host = ?")) {
      ps.setString(1, name);
      ps.setString(2, host);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String db = MySqlIdentifiers.fromGrantTarget(rs.getString(1));
          if (!SYSTEM_DATABASES.contains(db)) {
            dbs.add(db);
          }
        }
      }
    }
    return dbs.stream().map(DatabaseModel::named).toList();
  }

  @Override
  public List<DatabaseModel> access(String name, String host) {
    String h = hostOf(host);
    try (Connection c = server.connect()) {
      requireUser(c, name, h);
      return access(c, name, h);
    } catch (SQLException e) {
      throw failed("read access of " + name, e);
    }
  }

  private static void requireUser(Connection c, String name, String host) throws SQLException {
    if (internal(name, host) || !exists(c, name, host)) {
      throw GuestError.notFound("User", "User " + name + " cannot be found on the instance.");
    }
  }

  @Override
  public void createUsers(List<UserModel> users) {
    for (UserModel u : users) {
      reservedUser(u.name());
      String acct = account(u.name(), u.hostOrAny());
      try (Connection c = server.connect()) {
        if (!exists(c, u.name(), u.hostOrAny())) {
          executeSecret(c, "CREATE USER " + acct + " IDENTIFIED BY " + literal(u.password()));
          LOG.infof("user %s@%s created", u.name(), u.hostOrAny());
        }
        for (DatabaseModel db : u.databasesOrEmpty()) {
          grantOn(c, acct, db.name());
        }
      } catch (SQLException e) {
        throw failed("create user " + u.name(), e);
      }
    }
  }

  @Override
  public void deleteUser(String name, String host) {
    reservedUser(name);
    String h = hostOf(host);
    try (Connection c = server.connect()) {
      if (exists(c, name, h)) {
        execute(c, "DROP USER " + account(name, h));
        LOG.infof("user %s@%s dropped", name, h);
      }
    } catch (SQLException e) {
      throw failed("drop user " + name, e);
    }
  }

  @Override
  public void updateUser(String name, String host, UserAttributes attributes) {
    String h = hostOf(host);
    try (Connection c = server.connect()) {
      requireUser(c, name, h);
      String newName = attributes.name() == null ? name : attributes.name();
      String newHost = attributes.host() == null ? h : attributes.host();
      if (!newName.equals(name) || !newHost.equals(h)) {
        reservedUser(newName);
        if (exists(c, newName, newHost)) {
          throw GuestError.badRequest(
              "User " + newName + "@" + newHost + " already exists on the instance.");
        }
        execute(c, "RENAME USER " + account(name, h) + " TO " + account(newName, newHost));
      }
      if (attributes.password() != null) {
        executeSecret(
            c,
            "ALTER USER "
                + account(newName, newHost)
                + " IDENTIFIED BY "
                + literal(attributes.password()));
      }
    } catch (SQLException e) {
      throw failed("update user " + name, e);
    }
  }

  @Override
  public void grant(String name, String host, List<String> databases) {
    String h = hostOf(host);
    try (Connection c = server.connect()) {
      requireUser(c, name, h);
      for (String db : databases) {
        reservedDatabase(db);
        if (!schemaExists(c, db)) {
          throw GuestError.notFound(
              "Database", "Database " + db + " cannot be found on the instance.");
        }
        grantOn(c, account(name, h), db);
      }
    } catch (SQLException e) {
      throw failed("grant access to " + name, e);
    }
  }

  private static void grantOn(Connection c, String account, String db) throws SQLException {
    execute(c, "GRANT ALL PRIVILEGES ON " + grantTarget(db) + ".* TO " + account);
  }

  private static boolean schemaExists(Connection c, String db) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT 1 FROM information_schema.schemata WHERE schema_name = ?")) {
      ps.setString(1, db);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  @Override
  public void revoke(String name, String host, String database) {
    String h = hostOf(host);
    reservedDatabase(database);
    try (Connection c = server.connect()) {
      requireUser(c, name, h);
      try (PreparedStatement ps =
          c.prepareStatement("SELECT Db FROM mysql.db WHERE User = ? AND Host = ?")) {
        ps.setString(1, name);
        ps.setString(2, h);
        List<String> patterns = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            if (MySqlIdentifiers.fromGrantTarget(rs.getString(1)).equals(database)) {
              patterns.add(rs.getString(1));
            }
          }
        }
        if (!patterns.isEmpty()) {
          execute(
              c,
              "REVOKE ALL PRIVILEGES ON " + grantTarget(database) + ".* FROM " + account(name, h));
        }
      }
    } catch (SQLException e) {
      throw failed("revoke access of " + name, e);
    }
  }

  @Override
  public UserModel enableRoot(Secret password) {
    Secret pw = password == null ? server.newPassword() : password;
    String acct = account(ROOT, ROOT_HOST);
    try (Connection c = server.connect()) {
      executeSecret(c, "CREATE USER IF NOT EXISTS " + acct + " IDENTIFIED BY " + literal(pw));
      executeSecret(c, "ALTER USER " + acct + " IDENTIFIED BY " + literal(pw));
      execute(c, "GRANT ALL PRIVILEGES ON *.* TO " + acct + " WITH GRANT OPTION");
      LOG.info("root enabled");
    } catch (SQLException e) {
      throw failed("enable root", e);
    }
    return new UserModel(ROOT, ROOT_HOST, pw, List.of(), true);
  }

  @Override
  public void disableRoot() {
    try (Connection c = server.connect()) {
      if (exists(c, ROOT, ROOT_HOST)) {
        execute(c, "DROP USER " + account(ROOT, ROOT_HOST));
      }
      LOG.info("root disabled");
    } catch (SQLException e) {
      throw failed("disable root", e);
    }
  }

  @Override
  public boolean rootEnabled() {
    try (Connection c = server.connect()) {
      return exists(c, ROOT, ROOT_HOST);
    } catch (SQLException e) {
      throw failed("read root", e);
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
      throw new SQLException(
          "statement with a password failed (" + e.getSQLState() + ", " + e.getErrorCode() + ")");
    }
  }

  private static GuestError failed(String what, SQLException e) {
    LOG.warnf("cannot %s: %s", what, e.getMessage());
    return new GuestError("cannot " + what + ": " + e.getMessage(), e);
  }
}
