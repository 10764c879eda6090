package io.coffer.guest.datastore;

import io.coffer.storage.BackupStorage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A backup and the parents it needs, full backup first: each incremental's metadata names its
 * parent ({@code parent_location}, {@code parent_checksum}) until a backup that is not {@code
 * incremental}. The same for every engine.
 */
public final class BackupChain {

  /** Longest chain a restore follows. */
  public static final int MAX = 1000;

  private BackupChain() {}

  /**
   * One backup of the chain.
   *
   * @param location where it is stored
   * @param checksum its checksum, checked when it is read
   */
  public record Link(String location, String checksum) {}

  /** The chain ending at the backup stored at {@code location}, its full backup first. */
  public static List<Link> of(BackupStorage storage, String location, String checksum)
      throws IOException {
    List<Link> chain = new ArrayList<>();
    String at = location;
    String sum = checksum;
    while (true) {
      if (chain.size() > MAX) {
        throw new GuestError("the backup chain is longer than " + MAX, (Throwable) null);
      }
      Map<String, String> meta = storage.metadata(at);
      chain.add(0, new Link(at, sum));
      if (!"incremental".equals(meta.get("type"))) {
        return chain;
      }
      at = meta.get("parent_location");
      sum = meta.get("parent_checksum");
      if (at == null) {
        throw new GuestError("incremental backup without a parent location", (Throwable) null);
      }
    }
  }
}
