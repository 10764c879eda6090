package io.coffer.model.conductor;

import io.coffer.model.rpc.Method;
import java.util.List;

/**
 * The conductor's RPC API (Trove's {@code trove/conductor/api.py}): all casts, version 1.0, sent by
 * guest agents to topic {@code trove-conductor}.
 */
public final class ConductorMethods {

  /** Periodic service status of a guest. */
  public static final Method<HeartbeatArgs, Void> HEARTBEAT =
      Method.cast("heartbeat", HeartbeatArgs.class);

  /** Progress and result of a backup. */
  public static final Method<UpdateBackupArgs, Void> UPDATE_BACKUP =
      Method.cast("update_backup", UpdateBackupArgs.class);

  /** The root account was enabled on the guest. */
  public static final Method<ReportRootArgs, Void> REPORT_ROOT =
      Method.cast("report_root", ReportRootArgs.class);

  /** An operation on the guest finished (emits the {@code *.end} notification). */
  public static final Method<NotifyEndArgs, Void> NOTIFY_END =
      Method.cast("notify_end", NotifyEndArgs.class);

  /** An operation on the guest failed. */
  public static final Method<NotifyExcInfoArgs, Void> NOTIFY_EXC_INFO =
      Method.cast("notify_exc_info", NotifyExcInfoArgs.class);

  /** How far the instance's write-ahead log archive reaches (Coffer: point-in-time recovery). */
  public static final Method<WalArchivedArgs, Void> WAL_ARCHIVED =
      Method.cast("wal_archived", WalArchivedArgs.class);

  /** Every conductor method. */
  public static final List<Method<?, ?>> ALL =
      List.of(HEARTBEAT, UPDATE_BACKUP, REPORT_ROOT, NOTIFY_END, NOTIFY_EXC_INFO, WAL_ARCHIVED);

  private ConductorMethods() {}
}
