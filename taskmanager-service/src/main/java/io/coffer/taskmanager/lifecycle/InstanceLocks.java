package io.coffer.taskmanager.lifecycle;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * One task at a time per instance, across every taskmanager process: a PostgreSQL advisory lock
 * keyed by the instance id, held on its own connection while the task runs. A duplicate delivery
 * that finds the lock taken leaves the work to the holder.
 */
@ApplicationScoped
public class InstanceLocks {

  private static final String LOCK = "SELECT pg_try_advisory_lock(hashtext(?))";
  private static final String UNLOCK = "SELECT pg_advisory_unlock(hashtext(?))";

  private final DataSource db;

  InstanceLocks(DataSource db) {
    this.db = db;
  }

  /** A held (or not acquired) lock; close it to release. */
  public interface Lock extends AutoCloseable {
    /** Whether this caller holds the lock. */
    boolean acquired();

    @Override
    void close();
  }

  /**
   * Takes the lock of an instance, waiting up to {@code wait} for its holder (a create that is
   * still making the server) to finish.
   */
  public Lock lock(String instanceId, java.time.Duration wait) {
    long end = System.nanoTime() + wait.toNanos();
    while (true) {
      Lock l = tryLock(instanceId);
      if (l.acquired() || System.nanoTime() > end) {
        return l;
      }
      l.close();
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return l;
      }
    }
  }

  /** Tries to take the lock of an instance without waiting. */
  public Lock tryLock(String instanceId) {
    try {
      Connection c = db.getConnection();
      boolean acquired;
      try (PreparedStatement ps = c.prepareStatement(LOCK)) {
        ps.setString(1, instanceId);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          acquired = rs.getBoolean(1);
        }
      }
      return new Lock() {
        @Override
        public boolean acquired() {
          return acquired;
        }

        @Override
        public void close() {
          try (c) {
            if (acquired) {
              try (PreparedStatement ps = c.prepareStatement(UNLOCK)) {
                ps.setString(1, instanceId);
                ps.execute();
              }
            }
          } catch (SQLException e) {
            // closing the connection releases a session lock anyway
          }
        }
      };
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot lock instance " + instanceId + ": " + e.getMessage(), e);
    }
  }
}
