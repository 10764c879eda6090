package io.coffer.taskmanager.notify;

import io.coffer.model.status.InstanceTask;
import io.coffer.persistence.notify.Notices;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.SQLException;
import org.hibernate.Session;

/**
 * The ends of Trove's API notifications for the tasks the taskmanager carries out: when an
 * instance's task ends, the {@code dbaas.<action>} the API left pending for it becomes its {@code
 * end}, or its {@code error} with the reason when the task failed, in the transaction that ends the
 * task.
 */
@ApplicationScoped
public class ApiEvents {

  private final Notices notices;
  private final NotificationConfig config;
  private final EntityManager em;
  private final NotificationRelay relay;

  ApiEvents(Notices notices, NotificationConfig config, EntityManager em, NotificationRelay relay) {
    this.notices = notices;
    this.config = config;
    this.em = em;
    this.relay = relay;
  }

  /** The task ended as asked: its notification's end (the caller's JDBC transaction). */
  public void ended(Connection c, String instanceId, InstanceTask task) throws SQLException {
    if (notices.complete(c, instanceId, task.name(), config.publisherId(), null) > 0) {
      relay.wake();
    }
  }

  /** The task ended as asked: its notification's end (the caller's JPA transaction). */
  public void ended(String instanceId, InstanceTask task) {
    inTransaction(c -> ended(c, instanceId, task));
  }

  /** The task failed: its notification's error, with the reason (the caller's JPA transaction). */
  public void failed(String instanceId, InstanceTask task, String reason) {
    inTransaction(
        c -> {
          if (notices.complete(c, instanceId, task.name(), config.publisherId(), reason) > 0) {
            relay.wake();
          }
        });
  }

  /**
   * The instance is gone: the delete's notification ends, and any other still pending becomes an
   * error (the caller's JPA transaction).
   */
  public void deleted(String instanceId) {
    inTransaction(
        c -> {
          int n =
              notices.complete(
                  c, instanceId, InstanceTask.DELETING.name(), config.publisherId(), null);
          n +=
              notices.complete(
                  c,
                  instanceId,
                  null,
                  config.publisherId(),
                  "The instance was deleted before the task ended.");
          if (n > 0) {
            relay.wake();
          }
        });
  }

  /** A backup ended: its creation's or deletion's notification ends (the caller's connection). */
  public void backup(Connection c, String backupId, String stage, String failure)
      throws SQLException {
    if (notices.complete(c, backupId, stage, config.publisherId(), failure) > 0) {
      relay.wake();
    }
  }

  /** {@link #backup(Connection, String, String, String)} in the caller's JPA transaction. */
  public void backup(String backupId, String stage, String failure) {
    inTransaction(c -> backup(c, backupId, stage, failure));
  }

  private void inTransaction(org.hibernate.jdbc.Work work) {
    if (!notices.enabled()) {
      return;
    }
    em.flush();
    em.unwrap(Session.class).doWork(work);
  }
}
