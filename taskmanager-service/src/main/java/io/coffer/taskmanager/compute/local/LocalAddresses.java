package io.coffer.taskmanager.compute.local;

import io.coffer.taskmanager.config.TaskManagerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Loopback addresses for local instances, one each (all of 127.0.0.0/8 reaches this host), so every
 * database listens on its standard port, as on a VM. The infrastructure database records who holds
 * which address; an address where something already listens is skipped.
 */
@ApplicationScoped
class LocalAddresses {

  private static final String HELD = "SELECT address FROM compute_addresses WHERE instance_id = ?";
  private static final String ALL = "SELECT address FROM compute_addresses";
  private static final String TAKE =
      "INSERT INTO compute_addresses (address, instance_id, allocated) VALUES (?, ?, ?)"
          + " ON CONFLICT DO NOTHING";
  private static final String RELEASE = "DELETE FROM compute_addresses WHERE instance_id = ?";

  private final DataSource db;
  private final TaskManagerConfig config;

  LocalAddresses(DataSource db, TaskManagerConfig config) {
    this.db = db;
    this.config = config;
  }

  /** The address of an instance, allocating one the first time. */
  String allocate(String instanceId, int port) {
    try (Connection c = db.getConnection()) {
      Optional<String> held = held(c, instanceId);
      if (held.isPresent()) {
        return held.get();
      }
      Set<String> taken = new HashSet<>();
      try (PreparedStatement ps = c.prepareStatement(ALL);
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          taken.add(rs.getString(1));
        }
      }
      long first = toLong(config.local().firstAddress());
      long last = toLong(config.local().lastAddress());
      for (long a = first; a <= last; a++) {
        String address = toString(a);
        if (taken.contains(address) || listening(address, port)) {
          continue;
        }
        try (PreparedStatement ps = c.prepareStatement(TAKE)) {
          ps.setString(1, address);
          ps.setString(2, instanceId);
          ps.setTimestamp(3, Timestamp.from(Instant.now()));
          if (ps.executeUpdate() == 1) {
            return address;
          }
        }
        // another taskmanager took it (or gave this instance one) meanwhile
        held = held(c, instanceId);
        if (held.isPresent()) {
          return held.get();
        }
      }
      throw new IllegalStateException(
          "no free local address between "
              + config.local().firstAddress()
              + " and "
              + config.local().lastAddress());
    } catch (SQLException e) {
      throw new IllegalStateException("cannot allocate an address: " + e.getMessage(), e);
    }
  }

  /** The address an instance holds, if any. */
  Optional<String> of(String instanceId) {
    try (Connection c = db.getConnection()) {
      return held(c, instanceId);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Gives an instance's address back. */
  void release(String instanceId) {
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement(RELEASE)) {
      ps.setString(1, instanceId);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Optional<String> held(Connection c, String instanceId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(HELD)) {
      ps.setString(1, instanceId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    }
  }

  private static boolean listening(String address, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(address, port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  static long toLong(String ip) {
    try {
      byte[] b = InetAddress.getByName(ip).getAddress();
      return ((b[0] & 0xffL) << 24)
          | ((b[1] & 0xffL) << 16)
          | ((b[2] & 0xffL) << 8)
          | (b[3] & 0xffL);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(ip, e);
    }
  }

  static String toString(long a) {
    return ((a >> 24) & 0xff)
        + "."
        + ((a >> 16) & 0xff)
        + "."
        + ((a >> 8) & 0xff)
        + "."
        + (a & 0xff);
  }
}
