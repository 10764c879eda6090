package io.coffer.guest.logs;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.coffer.guest.config.GuestConfig;
import io.coffer.guest.datastore.Datastore;
import io.coffer.guest.datastore.EngineLogs;
import io.coffer.guest.datastore.GuestError;
import io.coffer.model.rpc.RequestContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Trove's guest logs: the guest agent's own log ({@code guest}, SYS: always on, only published) and
 * the engine's logs (USER: turned on and off by the tenant). Publishing copies what is new in a log
 * since its last publish into the project's log container, in numbered objects of at most {@code
 * log-chunk-bytes} each (with their line count), masking secrets, and records in the log's metafile
 * how far it got and a digest of the file's first line: a file that shrank or whose first line
 * changed was rotated, and then the rest of its predecessor ({@code <file>.1}) is published first,
 * so that nothing is published twice or skipped.
 */
@ApplicationScoped
public class GuestLogs {

  /** Trove's guest_log_container_name. */
  static final String CONTAINER = "database_logs";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter OBJECT_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);

  private final String instanceId;
  private final String manager;
  private final Path guestLog;
  private final Supplier<EngineLogs> engine;
  private final Supplier<LogStore> store;
  private final int chunkBytes;
  private final long publishMaxBytes;

  @Inject
  GuestLogs(
      GuestConfig config,
      Datastore datastore,
      @ConfigProperty(name = "coffer.guest.log-chunk-bytes", defaultValue = "1000000")
          int chunkBytes,
      @ConfigProperty(name = "coffer.guest.log-publish-max-bytes", defaultValue = "52428800")
          long publishMaxBytes) {
    this(
        config.instanceId(),
        config.datastoreManager(),
        config.dataDir().resolve("logs").resolve("guest.log"),
        datastore::logs,
        LogStores.lazy(() -> LogStores.of(config)),
        chunkBytes,
        publishMaxBytes);
  }

  GuestLogs(
      String instanceId,
      String manager,
      Path guestLog,
      Supplier<EngineLogs> engine,
      Supplier<LogStore> store,
      int chunkBytes,
      long publishMaxBytes) {
    this.instanceId = instanceId;
    this.manager = manager;
    this.guestLog = guestLog;
    this.engine = engine;
    this.store = store;
    this.chunkBytes = chunkBytes;
    this.publishMaxBytes = publishMaxBytes;
  }

  /** A log this guest knows. */
  private record Def(String name, boolean user, Path file) {}

  private List<Def> defs() {
    List<Def> defs = new ArrayList<>();
    defs.add(new Def("guest", false, guestLog));
    for (EngineLogs.Log l : engine.get().logs()) {
      defs.add(new Def(l.name(), true, l.file()));
    }
    return defs;
  }

  private Def def(String name) {
    return defs().stream()
        .filter(d -> d.name().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                GuestError.badRequest(
                    "No such log: '"
                        + name
                        + "'. The logs of this instance are "
                        + String.join(", ", defs().stream().map(Def::name).toList())
                        + "."));
  }

  private final ThreadLocal<LogStore> callStore = new ThreadLocal<>();

  private LogStore store() {
    LogStore s = callStore.get();
    return s != null ? s : store.get();
  }

  /** {@link #list()} with the store of a request. */
  public List<Map<String, Object>> list(RequestContext context) {
    callStore.set(LogStores.of(context).orElse(null));
    try {
      return list();
    } finally {
      callStore.remove();
    }
  }

  /** {@link #action} with the store of a request. */
  public synchronized Map<String, Object> action(
      RequestContext context,
      String name,
      boolean enable,
      boolean disable,
      boolean publish,
      boolean discard) {
    callStore.set(LogStores.of(context).orElse(null));
    try {
      return action(name, enable, disable, publish, discard);
    } finally {
      callStore.remove();
    }
  }

  /** Trove's {@code guest_log_list}: every log's view. */
  public List<Map<String, Object>> list() {
    List<Map<String, Object>> views = new ArrayList<>();
    for (Def d : defs()) {
      views.add(view(d));
    }
    return views;
  }

  /** Trove's {@code guest_log_action}: enable, disable, publish, discard or (none) show. */
  public synchronized Map<String, Object> action(
      String name, boolean enable, boolean disable, boolean publish, boolean discard) {
    if (enable && disable) {
      throw GuestError.badRequest("Cannot enable and disable log '" + name + "'.");
    }
    Def d = def(name);
    if (!d.user() && (enable || disable) && !publish) {
      throw GuestError.badRequest(
          "Cannot " + (enable ? "enable" : "disable") + " a system log ('" + name + "').");
    }
    // publishing turns a log on unless told otherwise, as in Trove
    boolean turnOn = enable || (publish && !disable);
    if (d.user() && turnOn && !engine.get().enabled(name)) {
      engine.get().enable(name, true);
    } else if (d.user() && disable && engine.get().enabled(name)) {
      engine.get().enable(name, false);
    }
    try {
      if (discard) {
        discard(d);
      }
      if (publish) {
        publish(d);
      }
    } catch (IOException e) {
      throw new GuestError("cannot publish the log '" + name + "': " + e.getMessage(), e);
    }
    return view(d);
  }

  private String prefix(Def d) {
    return instanceId + "/" + manager + "-" + d.name() + "/";
  }

  private String metafile(Def d) {
    return instanceId + "/" + manager + "-" + d.name() + "_metafile";
  }

  /** What the metafile says: bytes published of the current file and its first line's digest. */
  private record Published(long size, String header) {}

  private Published published(Def d) throws IOException {
    Optional<byte[]> m = store().get(metafile(d));
    if (m.isEmpty()) {
      return new Published(0, null);
    }
    Map<String, Object> meta = JSON.readValue(m.get(), new TypeReference<Map<String, Object>>() {});
    Object size = meta.get("log_size");
    return new Published(
        size instanceof Number n ? n.longValue() : 0, (String) meta.get("log_header_digest"));
  }

  private void record(Def d, long size, String header) throws IOException {
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("log_name", d.name());
    meta.put("log_type", d.user() ? "USER" : "SYS");
    meta.put("log_file", d.file().toString());
    meta.put("log_size", size);
    meta.put("log_header_digest", header);
    store().put(metafile(d), JSON.writeValueAsBytes(meta), Map.of());
  }

  private static boolean rotated(Published p, long size, String header) {
    return p.size() > 0
        && (size < p.size()
            || (p.header() != null && header != null && !p.header().equals(header)));
  }

  private Map<String, Object> view(Def d) {
    Published p;
    long size = LogFiles.size(d.file());
    String header;
    try {
      p = published(d);
      header = LogFiles.header(d.file());
    } catch (IOException e) {
      throw new GuestError("cannot read the log '" + d.name() + "': " + e.getMessage(), e);
    }
    boolean on = !d.user() || engine.get().enabled(d.name());
    boolean rotated = rotated(p, size, header);
    String status;
    if (!on) {
      status = "Disabled";
    } else if (rotated) {
      status = "Rotated";
    } else if (size > p.size()) {
      status = p.size() > 0 ? "Partial" : "Ready";
    } else {
      status = p.size() > 0 ? "Published" : "Enabled";
    }
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("name", d.name());
    v.put("type", d.user() ? "USER" : "SYS");
    v.put("status", status);
    v.put("published", p.size());
    v.put("pending", rotated ? size : Math.max(0, size - p.size()));
    v.put("container", p.size() > 0 ? CONTAINER : "None");
    v.put("prefix", p.size() > 0 ? prefix(d) : "None");
    v.put("metafile", metafile(d));
    return v;
  }

  private void discard(Def d) throws IOException {
    for (String name : store().list(prefix(d))) {
      store().delete(name);
    }
    store().delete(metafile(d));
  }

  private void publish(Def d) throws IOException {
    Published p = published(d);
    long size = LogFiles.size(d.file());
    String header = LogFiles.header(d.file());
    long budget = publishMaxBytes;
    if (rotated(p, size, header)) {
      // the rest of the file as it was before it was rotated, then the new file from its start
      Path previous = d.file().resolveSibling(d.file().getFileName() + ".1");
      if (Files.exists(previous)
          && p.header() != null
          && p.header().equals(LogFiles.header(previous))) {
        budget -= copy(d, previous, p.size(), budget);
      }
      p = new Published(0, header);
      record(d, 0, header);
    }
    long done = p.size() + copy(d, d.file(), p.size(), budget);
    record(d, done, header);
  }

  /**
   * Publishes whole lines of {@code file} from {@code offset}, at most {@code budget} bytes, in
   * objects of at most {@code chunkBytes}; returns the bytes published.
   */
  private long copy(Def d, Path file, long offset, long budget) throws IOException {
    if (!Files.exists(file) || budget <= 0) {
      return 0;
    }
    long end = Math.min(Files.size(file), offset + budget);
    long published = 0;
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      f.seek(offset);
      long pos = offset;
      StringBuilder chunk = new StringBuilder();
      long chunkStart = pos;
      int lines = 0;
      while (pos < end) {
        String line = LogFiles.readLine(f, end);
        if (line == null) {
          break;
        }
        long next = f.getFilePointer();
        String masked = SecretMask.mask(line) + "\n";
        if (lines > 0 && chunk.length() + masked.length() > chunkBytes) {
          put(d, chunk.toString(), lines);
          published += pos - chunkStart;
          chunk.setLength(0);
          chunkStart = pos;
          lines = 0;
        }
        chunk.append(masked);
        lines++;
        pos = next;
      }
      if (lines > 0) {
        put(d, chunk.toString(), lines);
        published += pos - chunkStart;
      }
    }
    return published;
  }

  private void put(Def d, String chunk, int lines) throws IOException {
    String name = prefix(d) + "log-" + OBJECT_TIME.format(Instant.now());
    // two objects in the same microsecond keep their order
    while (store().get(name).isPresent()) {
      name = name + "-1";
    }
    store()
        .put(
            name, chunk.getBytes(StandardCharsets.UTF_8), Map.of("lines", Integer.toString(lines)));
  }
}
