package io.coffer.guest.datastore.postgresql;

import io.coffer.bus.BusException;
import io.coffer.guest.backup.BackupStore;
import io.coffer.guest.config.GuestConfig;
import io.coffer.guest.heartbeat.ConductorClient;
import io.coffer.model.common.WalArchive;
import io.coffer.storage.BackupStorage;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.jboss.logging.Logger;

/**
 * Continuous archiving of the server's write-ahead log into the backup storage, for point-in-time
 * recovery after the instance (and its host) are gone. The server archives each completed segment
 * beside itself ({@code archive_command}); every {@code coffer.guest.wal-archive-interval} this
 * round (driven by {@link PostgresManager}) copies the segments and timeline history files not yet
 * there into the instance's archive container ({@link WalArchive}), gzip-compressed, and tells the
 * conductor how far the archive reaches.
 *
 * <p>How far is exact, not estimated. Replay to a time stops at the first commit after it, so the
 * archive must hold a commit later than any time it claims: when transactions ran since the last
 * round, the guest reads the server's clock ({@code t0}), commits a marker transaction (its commit
 * time is at least {@code t0}) and switches to a new segment; once that segment is stored, every
 * commit before {@code t0} is archived and followed by the marker. When no transaction has even
 * been given an id since the marker and none is open, nothing can have been committed, and the
 * reach moves on to the present without a switch (an idle server adds no segments).
 */
@ApplicationScoped
public class PgWalArchive {

  static final String SUFFIX = ".gz";
  private static final Logger LOG = Logger.getLogger(PgWalArchive.class);
  private static final String STATE = "wal_archive.shipped";
  private static final Duration ARCHIVE_WAIT = Duration.ofSeconds(60);

  private final PgServer server;
  private final BackupStore store;
  private final GuestConfig config;
  private final ConductorClient conductor;

  PgWalArchive(PgServer server, BackupStore store, GuestConfig config, ConductorClient conductor) {
    this.server = server;
    this.store = store;
    this.config = config;
    this.conductor = conductor;
  }

  /** What has been shipped, kept beside the server across guest restarts. */
  record State(
      String start,
      String lastSegment,
      Long markerXid,
      Instant markerTime,
      TreeSet<String> history) {}

  /**
   * One round: marker and segment switch if anything was committed since the last one, every
   * completed segment and history file copied, the reach reported. Does nothing on a server in
   * recovery (a replica: its source archives). Returns how many kinds of files (segments, history
   * files) it stored: none means the server's own copies need no pruning.
   */
  public synchronized int ship() throws IOException, SQLException {
    State state = load();
    if (state.start() == null) {
      // archiving starts with the first backup: WAL before it serves no restore
      return 0;
    }
    int before = state.history().size();
    String lastBefore = state.lastSegment();
    String container = WalArchive.container(config.instanceId());
    try (Connection c = server.connect("postgres");
        Statement st = c.createStatement()) {
      if (bool(st, "SELECT pg_is_in_recovery()")) {
        return 0;
      }
      String snapshot = text(st, "SELECT pg_current_snapshot()::text");
      if (state.markerXid() != null && idleSince(snapshot, state.markerXid())) {
        state = upload(container, state, null);
        Instant now = instant(st, "SELECT clock_timestamp()");
        report(state, now);
        return shippedSince(state, before, lastBefore);
      }
      Instant t0 = instant(st, "SELECT clock_timestamp()");
      long xid = Long.parseLong(text(st, "SELECT pg_current_xact_id()::text"));
      String upTo = text(st, "SELECT pg_walfile_name(pg_switch_wal())");
      awaitArchived(upTo);
      state = upload(container, state, upTo);
      // the marker commits at t0 or later: a time a microsecond before t0 has a commit after it
      Instant marker = t0.minus(1, ChronoUnit.MICROS);
      state = new State(state.start(), state.lastSegment(), xid, marker, state.history());
      save(state);
      report(state, marker);
      return shippedSince(state, before, lastBefore);
    }
  }

  /** Whether a round stored anything: then the server's own copies may be pruned. */
  private static int shippedSince(State s, int historyBefore, String lastBefore) {
    boolean segments =
        s.lastSegment() != null && (lastBefore == null || !s.lastSegment().equals(lastBefore));
    return (segments ? 1 : 0) + (s.history().size() - historyBefore);
  }

  /**
   * Whether nothing can have been committed since the marker transaction {@code markerXid}: no id
   * given to a transaction since ({@code xmax} right after it) and none open ({@code xmin = xmax}).
   */
  static boolean idleSince(String snapshot, long markerXid) {
    String[] parts = snapshot.split(":");
    long xmin = Long.parseLong(parts[0]);
    long xmax = Long.parseLong(parts[1]);
    return xmax == markerXid + 1 && xmin == xmax;
  }

  private void report(State state, Instant latest) {
    if (state.lastSegment() == null || state.markerTime() == null) {
      return;
    }
    try {
      conductor.walArchived(state.lastSegment(), latest, state.markerTime());
    } catch (BusException e) {
      LOG.warnf("WAL archive reach not reported: %s", e.getMessage());
    }
  }

  /**
   * Copies the completed segments after the last one shipped (up to {@code upTo}, when given) and
   * the history files not yet shipped; returns the new state, saved.
   */
  private State upload(String container, State state, String upTo) throws IOException {
    BackupStorage storage = store.get();
    String last = state.lastSegment();
    TreeSet<String> history = new TreeSet<>(state.history());
    int shipped = 0;
    for (String name : archived()) {
      if (WalArchive.HISTORY.matcher(name).matches()) {
        if (history.add(name)) {
          storage.putObject(container, name + SUFFIX, gzip(server.archiveDir().resolve(name)));
          shipped++;
        }
      } else if (name.compareTo(state.start()) >= 0
          && (last == null || name.compareTo(last) > 0)
          && (upTo == null || name.compareTo(upTo) <= 0)) {
        storage.putObject(container, name + SUFFIX, gzip(server.archiveDir().resolve(name)));
        last = name;
        shipped++;
      }
    }
    State next = new State(state.start(), last, state.markerXid(), state.markerTime(), history);
    if (shipped > 0) {
      save(next);
      LOG.debugf("WAL archive: %d file(s) stored, up to %s", shipped, last);
    }
    return next;
  }

  /**
   * Whether the server's own copy of {@code segment} may go: the archive in the storage has it, or
   * does not want it (before the archive's start).
   */
  public boolean shipped(String segment) {
    State s = load();
    if (s.start() == null || segment.compareTo(s.start()) < 0) {
      return true;
    }
    return s.lastSegment() != null && segment.compareTo(s.lastSegment()) <= 0;
  }

  /**
   * A backup ending in segment {@code walTo} was taken: the first one starts the archive there (the
   * backup holds the WAL before, the archive what replays it forward).
   */
  public synchronized void backupTaken(String walTo) throws IOException {
    State s = load();
    if (s.start() == null) {
      save(new State(walTo, null, null, null, s.history()));
      LOG.infof("WAL archive in the backup storage starts at %s", walTo);
    }
  }

  /** The segments and history files the server has archived beside itself, sorted. */
  private List<String> archived() throws IOException {
    if (!Files.isDirectory(server.archiveDir())) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(server.archiveDir())) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(
              n ->
                  WalArchive.SEGMENT.matcher(n).matches()
                      || WalArchive.HISTORY.matcher(n).matches())
          .sorted()
          .toList();
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
                + " s");
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }
  }

  /**
   * Fetches the archive of {@code container} from the segment {@code from} on (and every history
   * file) into {@code into}, uncompressed, for the server's {@code restore_command}; returns how
   * many files.
   */
  public int fetch(String container, String from, Path into) throws IOException {
    BackupStorage storage = store.get();
    int n = 0;
    for (String object : storage.listObjects(container)) {
      if (!object.endsWith(SUFFIX)) {
        continue;
      }
      String name = object.substring(0, object.length() - SUFFIX.length());
      boolean wanted =
          WalArchive.HISTORY.matcher(name).matches()
              || (WalArchive.SEGMENT.matcher(name).matches() && name.compareTo(from) >= 0);
      if (!wanted) {
        continue;
      }
      Path part = into.resolve(name + ".part");
      try (InputStream in =
              new GZIPInputStream(
                  new java.io.ByteArrayInputStream(storage.getObject(container, object)));
          OutputStream out = Files.newOutputStream(part)) {
        in.transferTo(out);
      }
      Files.move(part, into.resolve(name), StandardCopyOption.ATOMIC_MOVE);
      n++;
    }
    return n;
  }

  private static byte[] gzip(Path file) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 20);
    try (OutputStream out = new GZIPOutputStream(bytes, 1 << 16)) {
      Files.copy(file, out);
    }
    return bytes.toByteArray();
  }

  private State load() {
    Path file = server.home().resolve(STATE);
    Properties p = new Properties();
    if (Files.exists(file)) {
      try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        p.load(r);
      } catch (IOException e) {
        LOG.warnf("WAL archive state unreadable, starting over: %s", e.getMessage());
      }
    }
    String xid = p.getProperty("marker_xid");
    String time = p.getProperty("marker_time");
    TreeSet<String> history = new TreeSet<>();
    for (String h : p.getProperty("history", "").split(",")) {
      if (!h.isBlank()) {
        history.add(h);
      }
    }
    return new State(
        p.getProperty("start"),
        p.getProperty("last_segment"),
        xid == null ? null : Long.valueOf(xid),
        time == null ? null : Instant.parse(time),
        history);
  }

  private void save(State s) throws IOException {
    Properties p = new Properties();
    if (s.start() != null) {
      p.setProperty("start", s.start());
    }
    if (s.lastSegment() != null) {
      p.setProperty("last_segment", s.lastSegment());
    }
    if (s.markerXid() != null) {
      p.setProperty("marker_xid", Long.toString(s.markerXid()));
      p.setProperty("marker_time", s.markerTime().toString());
    }
    p.setProperty("history", String.join(",", new ArrayList<>(s.history())));
    Path file = server.home().resolve(STATE);
    Path part = server.home().resolve(STATE + ".part");
    try (Writer w = Files.newBufferedWriter(part, StandardCharsets.UTF_8)) {
      p.store(w, "WAL archive of this instance in the backup storage");
    }
    Files.move(part, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static boolean bool(Statement st, String sql) throws SQLException {
    try (ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getBoolean(1);
    }
  }

  private static String text(Statement st, String sql) throws SQLException {
    try (ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static Instant instant(Statement st, String sql) throws SQLException {
    try (ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getObject(1, java.time.OffsetDateTime.class).toInstant();
    }
  }
}
