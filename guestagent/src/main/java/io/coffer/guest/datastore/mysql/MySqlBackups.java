package io.coffer.guest.datastore.mysql;

import io.coffer.guest.backup.BackupStore;
import io.coffer.guest.config.GuestConfig;
import io.coffer.guest.datastore.BackupChain;
import io.coffer.guest.datastore.BackupRunner;
import io.coffer.guest.datastore.GuestError;
import io.coffer.guest.datastore.StreamPrograms;
import io.coffer.model.common.BackupInfo;
import io.coffer.model.common.RestoreInfo;
import io.coffer.storage.BackupStorage;
import io.coffer.storage.FilesystemStorage;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Backups and restores of the MariaDB server with {@code mariadb-backup}.
 *
 * <ul>
 *   <li><b>full</b>: {@code mariadb-backup --backup --stream=xbstream}, straight into the backup
 *       storage; the object's metadata records the log sequence number it ends at;
 *   <li><b>incremental</b>: the pages changed since the parent's end ({@code --incremental-lsn});
 *   <li><b>restore</b>: the full backup unpacked with {@code mbstream} as the data directory and
 *       prepared, each incremental of the chain unpacked and applied on top in order.
 * </ul>
 *
 * The backup connects through the server's socket as the instance's OS user (the account {@code
 * mariadb-install-db} made for it), so no password is ever on a command line.
 */
@ApplicationScoped
public class MySqlBackups implements BackupRunner.Work {

  static final String TYPE = "type";
  static final String TO_LSN = "to_lsn";
  static final String PARENT_ID = "parent_id";
  static final String PARENT_LOCATION = "parent_location";
  static final String PARENT_CHECKSUM = "parent_checksum";
  static final String BINLOG_GTID = "binlog_gtid";

  private static final Logger LOG = Logger.getLogger(MySqlBackups.class);
  private static final Pattern LSN = Pattern.compile("(?m)^to_lsn\\s*=\\s*(\\d+)\\s*$");

  private final MySqlServer server;
  private final BackupStore store;
  private final GuestConfig config;

  MySqlBackups(MySqlServer server, BackupStore store, GuestConfig config) {
    this.server = server;
    this.store = store;
    this.config = config;
  }

  @Override
  public BackupStorage.Stored full(String container, String id) throws IOException {
    return backup(container, id, null);
  }

  @Override
  public BackupStorage.Stored incremental(
      String container, String id, BackupInfo.ParentBackup parent) throws IOException {
    if (parent.location() == null) {
      throw new GuestError("an incremental backup needs its parent's location", (Throwable) null);
    }
    return backup(container, id, parent);
  }

  private BackupStorage.Stored backup(String container, String id, BackupInfo.ParentBackup parent)
      throws IOException {
    Map<String, String> parentMeta = null;
    if (parent != null) {
      parentMeta = store.get().metadata(parent.location());
      if (parentMeta.get(TO_LSN) == null) {
        throw new GuestError(
            "the parent backup does not record where it ends (to_lsn)", (Throwable) null);
      }
    }
    Path lsnDir = server.home().resolve("tmp").resolve("backup-" + id);
    StreamPrograms.deleteTree(lsnDir);
    Files.createDirectories(lsnDir);
    List<String> cmd = new ArrayList<>();
    cmd.add(server.bin("mariadb-backup").toString());
    cmd.add("--defaults-file=" + server.optionFile());
    cmd.add("--backup");
    cmd.add("--stream=xbstream");
    cmd.add("--target-dir=" + lsnDir);
    cmd.add("--extra-lsndir=" + lsnDir);
    cmd.add("--socket=" + server.socket());
    cmd.add("--user=" + System.getProperty("user.name"));
    if (parentMeta != null) {
      cmd.add("--incremental-lsn=" + parentMeta.get(TO_LSN));
    }
    Path log = server.home().resolve("logs").resolve("backup-" + id + ".log");
    Process p =
        StreamPrograms.start(
            cmd,
            server.home(),
            log,
            ProcessBuilder.Redirect.from(new File("/dev/null")),
            config.backupTimeout());
    final Map<String, String> parentMetadata = parentMeta;
    try (InputStream out = p.getInputStream()) {
      return store
          .get()
          .store(
              container,
              id,
              out,
              () -> {
                StreamPrograms.finish(p, "mariadb-backup", log, config.backupTimeout());
                Map<String, String> meta = new LinkedHashMap<>();
                meta.put(TYPE, parent == null ? "full" : "incremental");
                meta.put(TO_LSN, toLsn(lsnDir));
                binlogGtid(lsnDir).ifPresent(g -> meta.put(BINLOG_GTID, g));
                if (parent != null) {
                  if (parent.id() != null) {
                    meta.put(PARENT_ID, parent.id());
                  }
                  meta.put(PARENT_LOCATION, parent.location());
                  meta.put(
                      PARENT_CHECKSUM,
                      parent.checksum() != null
                          ? parent.checksum()
                          : parentMetadata.get(FilesystemStorage.CHECKSUM));
                }
                meta.put("datastore", config.datastoreManager());
                meta.put("datastore_version", config.datastoreVersion());
                meta.put("instance_id", config.instanceId());
                meta.put("created", Instant.now().toString());
                return meta;
              });
    } finally {
      p.destroyForcibly();
      Files.deleteIfExists(log);
      StreamPrograms.deleteTree(lsnDir);
    }
  }

  private static String toLsn(Path lsnDir) throws IOException {
    Path checkpoints = lsnDir.resolve("xtrabackup_checkpoints");
    if (!Files.exists(checkpoints)) {
      throw new IOException("mariadb-backup wrote no xtrabackup_checkpoints");
    }
    Matcher m = LSN.matcher(Files.readString(checkpoints));
    if (!m.find()) {
      throw new IOException("mariadb-backup did not report where the backup ends (to_lsn)");
    }
    return m.group(1);
  }

  /** The GTID position of the backup, from {@code xtrabackup_binlog_info} (file, pos, GTID). */
  static java.util.Optional<String> binlogGtid(Path dir) throws IOException {
    Path info = dir.resolve("xtrabackup_binlog_info");
    if (!Files.exists(info)) {
      return java.util.Optional.empty();
    }
    String[] fields = Files.readString(info).strip().split("\\s+");
    return fields.length >= 3 ? java.util.Optional.of(fields[2]) : java.util.Optional.empty();
  }

  @Override
  public void discard(String container, String id) throws IOException {
    store.get().delete(container, id);
  }

  /**
   * Unpacks and prepares a backup chain as the data directory (the server is stopped). Returns the
   * GTID position the restored data ends at, when the backup recorded one.
   */
  public java.util.Optional<String> restore(RestoreInfo info) throws IOException {
    BackupStorage storage = store.get();
    List<BackupChain.Link> chain = BackupChain.of(storage, info.location(), info.checksum());
    long started = System.nanoTime();
    Path datadir = server.datadir();
    StreamPrograms.deleteTree(datadir);
    Files.createDirectories(datadir);
    extract(storage, chain.get(0).location(), chain.get(0).checksum(), datadir);
    prepare(datadir, null);
    Path tmp = server.home().resolve("tmp");
    for (int n = 1; n < chain.size(); n++) {
      Path inc = tmp.resolve("restore-incremental-" + n);
      StreamPrograms.deleteTree(inc);
      Files.createDirectories(inc);
      extract(storage, chain.get(n).location(), chain.get(n).checksum(), inc);
      prepare(datadir, inc);
      StreamPrograms.deleteTree(inc);
    }
    java.util.Optional<String> gtid = binlogGtid(datadir);
    LOG.infof(
        "restore: a chain of %d backup(s) unpacked and prepared in %d ms",
        chain.size(), Duration.ofNanos(System.nanoTime() - started).toMillis());
    return gtid;
  }

  private void extract(BackupStorage storage, String location, String checksum, Path into)
      throws IOException {
    Path log = server.home().resolve("logs").resolve("restore.log");
    Process p =
        StreamPrograms.start(
            List.of(server.bin("mbstream").toString(), "-x", "-C", into.toString()),
            server.home(),
            log,
            ProcessBuilder.Redirect.PIPE,
            config.restoreTimeout());
    try (InputStream in = storage.open(location, checksum);
        OutputStream to = p.getOutputStream()) {
      FilesystemStorage.copy(in, to);
    } catch (IOException e) {
      p.destroyForcibly();
      throw e;
    }
    StreamPrograms.finish(p, "mbstream", log, config.restoreTimeout());
    Files.deleteIfExists(log);
  }

  /** Prepares the data directory, applying {@code incremental} when given. */
  private void prepare(Path datadir, Path incremental) throws IOException {
    Path log = server.home().resolve("logs").resolve("restore-prepare.log");
    List<String> cmd = new ArrayList<>();
    cmd.add(server.bin("mariadb-backup").toString());
    cmd.add("--prepare");
    cmd.add("--target-dir=" + datadir);
    if (incremental != null) {
      cmd.add("--incremental-dir=" + incremental);
    }
    Process p =
        StreamPrograms.start(
            cmd,
            server.home(),
            log,
            ProcessBuilder.Redirect.from(new File("/dev/null")),
            config.restoreTimeout());
    p.getInputStream().transferTo(OutputStream.nullOutputStream());
    StreamPrograms.finish(p, "mariadb-backup --prepare", log, config.restoreTimeout());
    Files.deleteIfExists(log);
  }
}
