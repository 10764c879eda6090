package io.coffer.guest.datastore.postgresql;

import io.coffer.guest.backup.BackupStore;
import io.coffer.guest.config.GuestConfig;
import io.coffer.guest.datastore.BackupChain;
import io.coffer.guest.datastore.GuestError;
import io.coffer.guest.datastore.StreamPrograms;
import io.coffer.model.common.RestoreInfo;
import io.coffer.storage.BackupStorage;
import io.coffer.storage.FilesystemStorage;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Backups and restores of the PostgreSQL server.
 *
 * <ul>
 *   <li><b>full</b>: {@code pg_basebackup} as a tar stream (with the WAL needed to make it
 *       consistent), straight into the backup storage;
 *   <li><b>incremental</b>: the archived write-ahead log from where the parent backup ends up to a
 *       segment switch made now;
 *   <li><b>restore</b>: the full backup unpacked as PGDATA, the WAL of each incremental of the
 *       chain put where the server's {@code restore_command} finds it; the server replays it all
 *       and opens on a new timeline.
 * </ul>
 *
 * Each object's metadata records the range of WAL segments it covers and its parent, so a chain can
 * be walked back from its newest backup.
 */
@ApplicationScoped
public class PgBackups {

  static final String TYPE = "type";
  static final String PARENT_ID = "parent_id";
  static final String PARENT_LOCATION = "parent_location";
  static final String PARENT_CHECKSUM = "parent_checksum";
  static final String WAL_FROM = "wal_from";
  static final String WAL_TO = "wal_to";

  private static final Logger LOG = Logger.getLogger(PgBackups.class);
  private static final Pattern START =
      Pattern.compile("write-ahead log start point: ([0-9A-F]+/[0-9A-F]+) on timeline (\\d+)");
  private static final Pattern END =
      Pattern.compile("write-ahead log end point: ([0-9A-F]+/[0-9A-F]+)");
  private static final Pattern SEGMENT = Pattern.compile("[0-9A-F]{24}");
  private static final Duration ARCHIVE_WAIT = Duration.ofSeconds(120);
  private static final String KEEP_FROM = "wal_archive.keep_from";

  private final PgServer server;
  private final BackupStore store;
  private final GuestConfig config;
  private final PgWalArchive walArchive;

  PgBackups(PgServer server, BackupStore store, GuestConfig config, PgWalArchive walArchive) {
    this.server = server;
    this.store = store;
    this.config = config;
    this.walArchive = walArchive;
  }

  /** Takes a full backup into {@code container} (null: the storage's default one). */
  public BackupStorage.Stored full(String container, String backupId) throws IOException {
    long segmentSize = walSegmentSize();
    List<String> cmd =
        List.of(
            server.bin("pg_basebackup").toString(),
            "-h",
            server.socketDir().toString(),
            "-p",
            Integer.toString(server.port()),
            "-U",
            server.adminRole(),
            "-w",
            "-D",
            "-",
            "-F",
            "t",
            "-X",
            "fetch",
            "--checkpoint=fast",
            "--no-manifest",
            "--label=coffer-" + backupId,
            "-v");
    Path log = server.home().resolve("logs").resolve("backup-" + backupId + ".log");
    Process p = start(cmd, log, ProcessBuilder.Redirect.from(new File("/dev/null")));
    try (InputStream out = p.getInputStream()) {
      return store
          .get()
          .store(
              container,
              backupId,
              out,
              () -> {
                String output = finish(p, "pg_basebackup", log);
                Matcher start = START.matcher(output);
                Matcher end = END.matcher(output);
                if (!start.find() || !end.find()) {
                  throw new IOException("pg_basebackup did not report its WAL positions");
                }
                long timeline = Long.parseLong(start.group(2));
                Map<String, String> meta = new LinkedHashMap<>();
                meta.put(TYPE, "full");
                meta.put(WAL_FROM, segment(timeline, start.group(1), segmentSize));
                meta.put(WAL_TO, segment(timeline, end.group(1), segmentSize));
                meta.putAll(common());
                return meta;
              });
    } finally {
      p.destroyForcibly();
      Files.deleteIfExists(log);
    }
  }

  /**
   * Takes an incremental backup into {@code container}: the WAL archived since the parent, up to a
   * segment switch now.
   */
  public BackupStorage.Stored incremental(
      String container,
      String backupId,
      String parentId,
      String parentLocation,
      String parentChecksum)
      throws IOException {
    if (parentLocation == null) {
      throw new GuestError("an incremental backup needs its parent's location", (Throwable) null);
    }
    Map<String, String> parent = store.get().metadata(parentLocation);
    String from = parent.get(WAL_TO);
    if (from == null) {
      throw new GuestError(
          "the parent backup does not record where its WAL ends", (Throwable) null);
    }
    String upTo = switchWal();
    awaitArchived(upTo);
    List<String> files = archivedBetween(from, upTo);
    Path list = server.home().resolve("logs").resolve("backup-" + backupId + ".files");
    Files.write(list, files, StandardCharsets.UTF_8);
    Path log = server.home().resolve("logs").resolve("backup-" + backupId + ".log");
    List<String> cmd =
        List.of(
            "tar",
            "-c",
            "-f",
            "-",
            "-C",
            server.archiveDir().toString(),
            "--no-recursion",
            "-T",
            list.toString());
    Process p = start(cmd, log, ProcessBuilder.Redirect.from(new File("/dev/null")));
    try (InputStream out = p.getInputStream()) {
      return store
          .get()
          .store(
              container,
              backupId,
              out,
              () -> {
                finish(p, "tar", log);
                Map<String, String> meta = new LinkedHashMap<>();
                meta.put(TYPE, "incremental");
                if (parentId != null) {
                  meta.put(PARENT_ID, parentId);
                }
                meta.put(PARENT_LOCATION, parentLocation);
                meta.put(
                    PARENT_CHECKSUM,
                    parentChecksum != null
                        ? parentChecksum
                        : parent.get(FilesystemStorage.CHECKSUM));
                meta.put(WAL_FROM, from);
                meta.put(WAL_TO, upTo);
                meta.putAll(common());
                return meta;
              });
    } finally {
      p.destroyForcibly();
      Files.deleteIfExists(log);
      Files.deleteIfExists(list);
    }
  }

  private Map<String, String> common() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("datastore", "postgresql");
    m.put("datastore_version", config.datastoreVersion());
    m.put("instance_id", config.instanceId());
    m.put("created", Instant.now().toString());
    return m;
  }

  private long walSegmentSize() throws IOException {
    try (Connection c = server.connect("postgres");
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT setting::bigint FROM pg_settings WHERE name = 'wal_segment_size'")) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IOException("cannot read the WAL segment size: " + e.getMessage(), e);
    }
  }

  /** The name of the WAL segment holding {@code lsn} ({@code X/Y}) on {@code timeline}. */
  static String segment(long timeline, String lsn, long segmentSize) {
    String[] parts = lsn.split("/");
    long position = (Long.parseLong(parts[0], 16) << 32) | Long.parseLong(parts[1], 16);
    long segment = position / segmentSize;
    long perId = 0x1_0000_0000L / segmentSize;
    return String.format("%08X%08X%08X", timeline, segment / perId, segment % perId);
  }

  private String switchWal() throws IOException {
    try (Connection c = server.connect("postgres");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT pg_walfile_name(pg_switch_wal())")) {
      rs.next();
      return rs.getString(1);
    } catch (SQLException e) {
      throw new IOException("cannot switch to a new WAL segment: " + e.getMessage(), e);
    }
  }

  private void awaitArchived(String segment) throws IOException {
    long deadline = System.nanoTime() + ARCHIVE_WAIT.toNanos();
    Path file = server.archiveDir().resolve(segment);
    while (!Files.exists(file)) {
      if (System.nanoTime() > deadline) {
        throw new IOException(
            "WAL segment "
                + segment
                + " was not archived within "
                + ARCHIVE_WAIT.toSeconds()
                + " s; "
                + archiverState());
      }
      sleep(100);
    }
  }

  private String archiverState() {
    try (Connection c = server.connect("postgres");
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery("SELECT failed_count, last_failed_wal FROM pg_stat_archiver")) {
      rs.next();
      return "archiver failures: " + rs.getLong(1) + " (last " + rs.getString(2) + ")";
    } catch (SQLException e) {
      return "archiver state unknown: " + e.getMessage();
    }
  }

  /** Archived segments from {@code from} to {@code upTo} (inclusive) and the history files. */
  private List<String> archivedBetween(String from, String upTo) throws IOException {
    List<String> segments = new ArrayList<>();
    List<String> history = new ArrayList<>();
    try (Stream<Path> files = Files.list(server.archiveDir())) {
      for (Path f : files.toList()) {
        String name = f.getFileName().toString();
        if (SEGMENT.matcher(name).matches()
            && name.compareTo(from) >= 0
            && name.compareTo(upTo) <= 0) {
          segments.add(name);
        } else if (name.endsWith(".history")) {
          history.add(name);
        }
      }
    }
    segments.sort(Comparator.naturalOrder());
    if (from.substring(0, 8).equals(upTo.substring(0, 8))) {
      long expected = segmentNumber(upTo) - segmentNumber(from) + 1;
      if (segments.size() != expected) {
        throw new IOException(
            "the WAL archive lacks segments between "
                + from
                + " and "
                + upTo
                + " (has "
                + segments.size()
                + " of "
                + expected
                + "): take a full backup");
      }
    }
    List<String> out = new ArrayList<>(history);
    out.addAll(segments);
    return out;
  }

  private static long segmentNumber(String name) {
    return Long.parseLong(name.substring(8, 16), 16) * 0x1_0000_0000L
        + Long.parseLong(name.substring(16, 24), 16);
  }

  /**
   * Unpacks a backup chain for a restore: the full backup as PGDATA, the WAL of the incrementals
   * for {@code restore_command}, and {@code recovery.signal}. The server is then started by the
   * caller; it replays the WAL and opens on a new timeline.
   */
  public void unpack(RestoreInfo info) throws IOException {
    BackupStorage storage = store.get();
    List<BackupChain.Link> chain = BackupChain.of(storage, info.location(), info.checksum());
    Path pgdata = server.pgdata();
    deleteTree(pgdata);
    deleteTree(server.restoreWalDir());
    Files.createDirectories(
        pgdata, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Files.setPosixFilePermissions(pgdata, PosixFilePermissions.fromString("rwx------"));
    Files.createDirectories(server.restoreWalDir());
    long started = System.nanoTime();
    extract(storage, chain.get(0).location(), chain.get(0).checksum(), pgdata);
    if (info.walArchive() != null) {
      // point-in-time recovery: the full backup, then the source's archive from its start on
      String from = storage.metadata(chain.get(0).location()).get(WAL_FROM);
      if (from == null || !SEGMENT.matcher(from).matches()) {
        throw new GuestError("the backup does not record where its WAL starts", (Throwable) null);
      }
      int files = walArchive.fetch(info.walArchive(), from, server.restoreWalDir());
      LOG.infof("restore: %d file(s) of WAL archive %s from %s", files, info.walArchive(), from);
    } else {
      for (BackupChain.Link incremental : chain.subList(1, chain.size())) {
        extract(storage, incremental.location(), incremental.checksum(), server.restoreWalDir());
      }
    }
    Files.deleteIfExists(pgdata.resolve("postmaster.pid"));
    Files.deleteIfExists(pgdata.resolve("postmaster.opts"));
    Files.deleteIfExists(pgdata.resolve("standby.signal"));
    Files.writeString(pgdata.resolve("recovery.signal"), "");
    LOG.infof(
        "restore: unpacked a chain of %d backup(s) in %d ms",
        chain.size(), Duration.ofNanos(System.nanoTime() - started).toMillis());
  }

  private void extract(BackupStorage storage, String location, String checksum, Path into)
      throws IOException {
    Path log = server.home().resolve("logs").resolve("restore.log");
    List<String> cmd = List.of("tar", "-x", "-f", "-", "-C", into.toString());
    Process p = start(cmd, log, ProcessBuilder.Redirect.PIPE);
    try (InputStream in = storage.open(location, checksum);
        OutputStream tar = p.getOutputStream()) {
      FilesystemStorage.copy(in, tar);
    } catch (IOException e) {
      p.destroyForcibly();
      throw e;
    }
    finish(p, "tar", log);
    Files.deleteIfExists(log);
  }

  /**
   * Records where the next incremental backup starts (the end of the backup just taken) and drops
   * the archived WAL before it: no backup taken from now on needs it.
   */
  public void backupTaken(String location) throws IOException {
    String walTo = store.get().metadata(location).get(WAL_TO);
    if (walTo == null || !SEGMENT.matcher(walTo).matches()) {
      return;
    }
    Files.writeString(server.home().resolve(KEEP_FROM), walTo + "\n");
    walArchive.backupTaken(walTo);
    pruneArchive();
  }

  /**
   * Deletes archived WAL segments older than the end of the newest backup; without any backup, all
   * of them (the first backup is a full one, which carries its own WAL). An incremental backup on
   * an older parent than the newest backup then needs a new full backup. Segments not yet copied
   * into the archive of the backup storage ({@link PgWalArchive}) stay.
   */
  public int pruneArchive() throws IOException {
    Path keepFile = server.home().resolve(KEEP_FROM);
    String keepFrom = Files.exists(keepFile) ? Files.readString(keepFile).strip() : "";
    int removed = 0;
    if (!Files.isDirectory(server.archiveDir())) {
      return 0;
    }
    try (Stream<Path> files = Files.list(server.archiveDir())) {
      for (Path f : files.toList()) {
        String name = f.getFileName().toString();
        if (SEGMENT.matcher(name).matches()
            && (keepFrom.isEmpty() || name.compareTo(keepFrom) < 0)
            && walArchive.shipped(name)
            && Files.deleteIfExists(f)) {
          removed++;
        }
      }
    }
    if (removed > 0) {
      LOG.infof("WAL archive: %d segment(s) no backup needs removed", removed);
    }
    return removed;
  }

  /**
   * Copies what the server archived since the last round into the storage's WAL archive; returns
   * whether (non-zero) it stored anything.
   */
  public int shipArchive() throws IOException, SQLException {
    return walArchive.ship();
  }

  /** Removes whatever a failed backup left in the storage. */
  public void discard(String container, String backupId) throws IOException {
    store.get().delete(container, backupId);
  }

  /** Waits until the server finished replaying and accepts writes. */
  public void awaitRecovery(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      try (Connection c = server.connect("postgres");
          Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT pg_is_in_recovery()")) {
        rs.next();
        if (!rs.getBoolean(1)) {
          return;
        }
        last = "still replaying";
      } catch (SQLException e) {
        last = e.getMessage();
      }
      sleep(200);
    }
    throw new GuestError(
        "the restored server did not finish recovery within " + timeout.toSeconds() + " s: " + last,
        (Throwable) null);
  }

  private Process start(List<String> cmd, Path log, ProcessBuilder.Redirect input)
      throws IOException {
    return StreamPrograms.start(cmd, server.home(), log, input, config.backupTimeout());
  }

  /** Waits for a program that produced or consumed a backup stream; fails if it failed. */
  private String finish(Process p, String name, Path log) throws IOException {
    return StreamPrograms.finish(p, name, log, config.backupTimeout());
  }

  static void deleteTree(Path dir) throws IOException {
    StreamPrograms.deleteTree(dir);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new GuestError("interrupted", e);
    }
  }
}
