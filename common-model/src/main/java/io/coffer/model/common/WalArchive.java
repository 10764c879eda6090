package io.coffer.model.common;

import java.util.regex.Pattern;

/**
 * An instance's write-ahead log archive in the backup storage (point-in-time recovery): one
 * container per instance, named after it, holding the server's completed WAL segments and timeline
 * history files, each compressed with gzip under its own name. The archive outlives the instance as
 * long as one of its backups is kept.
 */
public final class WalArchive {

  /** A WAL segment's name: timeline, log and segment number, 8 hex digits each. */
  public static final Pattern SEGMENT = Pattern.compile("[0-9A-F]{24}");

  /** A timeline history file's name. */
  public static final Pattern HISTORY = Pattern.compile("[0-9A-F]{8}\\.history");

  private WalArchive() {}

  /** The container of an instance's archive. */
  public static String container(String instanceId) {
    return "wal-" + instanceId;
  }
}
