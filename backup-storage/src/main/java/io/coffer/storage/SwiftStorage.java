package io.coffer.storage;

import io.coffer.storage.openstack.OpenStackSession;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import org.openstack4j.api.OSClient.OSClientV3;
import org.openstack4j.model.common.ActionResponse;
import org.openstack4j.model.common.DLPayload;
import org.openstack4j.model.common.Payloads;
import org.openstack4j.model.storage.object.SwiftObject;
import org.openstack4j.model.storage.object.options.ObjectListOptions;
import org.openstack4j.model.storage.object.options.ObjectPutOptions;

/**
 * Backups as Swift objects. A backup is uploaded in segments ({@code <id>/00000001}, … in the
 * segments container {@code <container>_segments}), then a dynamic large object manifest named by
 * the backup id is written in the container with the metadata (checksum, size) in one header: the
 * manifest comes last, so a backup counts as stored only once every segment is. Reading streams the
 * concatenated segments and verifies the SHA-256 checksum. Locations are {@code
 * swift://<container>/<backup-id>}; the container is the storage's own unless a backup names
 * another (a backup strategy's).
 */
public final class SwiftStorage implements BackupStorage {

  /** The storage kind. */
  public static final String KIND = "swift";

  private static final Pattern ID = Pattern.compile("[0-9a-fA-F-]{36}");

  /**
   * The metadata headers of a manifest: the backup's metadata as base64 properties, in pieces
   * {@code Coffer-1}, {@code Coffer-2}, … because Swift refuses a metadata value over 256 bytes
   * (and all of an object's metadata over 4096). Manifests written by earlier releases have one
   * {@code Coffer} header.
   */
  private static final String META = "Coffer";

  /** Swift's limit on one metadata value. */
  private static final int META_VALUE_BYTES = 256;

  /** What is left of Swift's 4096 bytes of metadata once the headers' names are counted. */
  private static final int META_TOTAL_BYTES = 3600;

  /** Names asked of Swift per listing request (Swift answers at most 10,000). */
  private int listPage = 1000;

  private final OpenStackSession session;
  private final String container;
  private final int segmentBytes;

  /**
   * @param session the Keystone session of the account owning the containers
   * @param container the container of the manifests (created if missing)
   * @param segmentBytes size of each uploaded segment (held in memory while it is sent)
   */
  public SwiftStorage(OpenStackSession session, String container, int segmentBytes) {
    if (segmentBytes < 1024) {
      throw new IllegalArgumentException("segment size too small: " + segmentBytes);
    }
    this.session = session;
    this.container = container;
    this.segmentBytes = segmentBytes;
  }

  @Override
  public String kind() {
    return KIND;
  }

  /** The location an object of this backup has once stored in the default container. */
  public String locationOf(String backupId) {
    return locationOf(container, backupId);
  }

  private static String locationOf(String container, String backupId) {
    return "swift://" + container + "/" + checkId(backupId);
  }

  private String containerOf(String requested) {
    return requested == null ? container : BackupStorage.checkContainer(requested);
  }

  private static String segmentsOf(String container) {
    return container + "_segments";
  }

  private static String checkId(String backupId) {
    if (backupId == null || !ID.matcher(backupId).matches()) {
      throw new IllegalArgumentException("not a backup id: " + backupId);
    }
    return backupId;
  }

  @Override
  public Stored store(String requested, String backupId, InputStream data, MetadataSource metadata)
      throws IOException {
    checkId(backupId);
    String container = containerOf(requested);
    String segments = segmentsOf(container);
    OSClientV3 os = session.client();
    try {
      created(os.objectStorage().containers().create(container), container);
      created(os.objectStorage().containers().create(segments), segments);
      deleteSegments(os, segments, backupId);
    } catch (RuntimeException e) {
      throw new IOException("Swift refused the containers: " + e.getMessage(), e);
    }
    MessageDigest digest = Checksums.sha256();
    long bytes = 0;
    int count = 0;
    byte[] buf = new byte[segmentBytes];
    try {
      while (true) {
        int n = data.readNBytes(buf, 0, buf.length);
        if (n == 0 && count > 0) {
          break;
        }
        digest.update(buf, 0, n);
        count++;
        put(os, segments, segmentName(backupId, count), buf, n, ObjectPutOptions.create());
        bytes += n;
        if (n < buf.length) {
          break;
        }
      }
    } catch (IOException | RuntimeException e) {
      cleanUp(os, segments, backupId);
      throw e instanceof IOException io
          ? io
          : new IOException("Swift refused a segment: " + e.getMessage(), e);
    }
    Map<String, String> extra;
    try {
      extra = metadata.get();
    } catch (IOException | RuntimeException e) {
      cleanUp(os, segments, backupId);
      throw e;
    }
    String checksum = HexFormat.of().formatHex(digest.digest());
    Properties meta = new Properties();
    meta.putAll(extra);
    meta.setProperty(FilesystemStorage.CHECKSUM, checksum);
    meta.setProperty(FilesystemStorage.BYTES, Long.toString(bytes));
    meta.setProperty("segments", Integer.toString(count));
    Map<String, String> headers;
    try {
      headers = metadataHeaders(meta);
    } catch (IOException e) {
      cleanUp(os, segments, backupId);
      throw e;
    }
    ObjectPutOptions manifest = ObjectPutOptions.create().metadata(headers);
    manifest.getOptions().put("X-Object-Manifest", segments + "/" + backupId + "/");
    try {
      put(os, container, backupId, new byte[0], 0, manifest);
    } catch (IOException | RuntimeException e) {
      cleanUp(os, segments, backupId);
      throw new IOException("Swift refused the manifest: " + e.getMessage(), e);
    }
    session.remember(os);
    return new Stored(locationOf(container, backupId), bytes, checksum);
  }

  /** The backup's metadata as the manifest's headers, each within Swift's limits. */
  static Map<String, String> metadataHeaders(Properties meta) throws IOException {
    StringBuilder text = new StringBuilder();
    for (String key : new java.util.TreeSet<>(meta.stringPropertyNames())) {
      // Properties' own escaping, without the date comment store() would add
      Properties one = new Properties();
      one.setProperty(key, meta.getProperty(key));
      StringWriter w = new StringWriter();
      one.store(w, null);
      w.toString()
          .lines()
          .filter(l -> !l.startsWith("#"))
          .forEach(l -> text.append(l).append('\n'));
    }
    String encoded =
        Base64.getEncoder().encodeToString(text.toString().getBytes(StandardCharsets.UTF_8));
    if (encoded.length() > META_TOTAL_BYTES) {
      throw new IOException(
          "the backup's metadata is too large for Swift (" + encoded.length() + " bytes encoded)");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 0, n = 1; i < encoded.length(); i += META_VALUE_BYTES, n++) {
      headers.put(
          META + "-" + n, encoded.substring(i, Math.min(encoded.length(), i + META_VALUE_BYTES)));
    }
    return headers;
  }

  /** The base64 metadata a manifest's headers hold, or null (Swift's names are case-blind). */
  static String encodedMetadata(Map<String, String> headers) {
    java.util.TreeMap<Integer, String> pieces = new java.util.TreeMap<>();
    String whole = null;
    for (Map.Entry<String, String> e : headers.entrySet()) {
      String key = e.getKey();
      if (META.equalsIgnoreCase(key)) {
        whole = e.getValue();
      } else if (key.regionMatches(true, 0, META + "-", 0, META.length() + 1)) {
        try {
          pieces.put(Integer.parseInt(key.substring(META.length() + 1)), e.getValue());
        } catch (NumberFormatException ignored) {
          // not one of the pieces
        }
      }
    }
    if (pieces.isEmpty()) {
      return whole;
    }
    if (pieces.firstKey() != 1 || pieces.lastKey() != pieces.size()) {
      return null;
    }
    return String.join("", pieces.values());
  }

  private static String segmentName(String backupId, int n) {
    return backupId + "/" + String.format("%08d", n);
  }

  /**
   * Uploads one object with its MD5 as {@code ETag}, so Swift refuses bytes that arrive damaged,
   * and tries again (three times in all) when the returned ETag is not that MD5 — also after the
   * client renewed its token and resent a request whose body it had already read.
   */
  private static void put(
      OSClientV3 os, String container, String name, byte[] buf, int n, ObjectPutOptions options)
      throws IOException {
    String md5 = md5(buf, n);
    options.getOptions().put("ETag", md5);
    String got = null;
    for (int attempt = 1; attempt <= 3; attempt++) {
      got =
          os.objectStorage()
              .objects()
              .put(container, name, Payloads.create(new ByteArrayInputStream(buf, 0, n)), options);
      if (got != null && md5.equalsIgnoreCase(got.replace("\"", ""))) {
        return;
      }
    }
    throw new IOException(
        "Swift did not store " + container + "/" + name + " intact (ETag " + got + ")");
  }

  private static String md5(byte[] buf, int n) {
    try {
      MessageDigest md = MessageDigest.getInstance("MD5");
      md.update(buf, 0, n);
      return HexFormat.of().formatHex(md.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void created(ActionResponse r, String container) {
    if (r != null && !r.isSuccess()) {
      throw new IllegalStateException("cannot create container " + container + ": " + r.getFault());
    }
  }

  private static void cleanUp(OSClientV3 os, String segments, String backupId) {
    try {
      deleteSegments(os, segments, backupId);
    } catch (RuntimeException e) {
      // the next store or delete of this backup removes them
    }
  }

  /** Deletes the segments of a backup; returns how many there were. */
  private static int deleteSegments(OSClientV3 os, String segments, String backupId) {
    List<? extends SwiftObject> found =
        os.objectStorage()
            .objects()
            .list(segments, ObjectListOptions.create().startsWith(backupId + "/"));
    for (SwiftObject o : found) {
      os.objectStorage().objects().delete(segments, o.getName());
    }
    return found.size();
  }

  /** Where an object is: its container and backup id. */
  private record Place(String container, String id) {}

  /** The place of a location of this storage, or an exception. */
  private Place placeOf(String location) {
    URI uri;
    try {
      uri = URI.create(location);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a backup location of this storage: " + location, e);
    }
    // the authority, not the host: container names may hold '_', which hosts may not
    String name = uri.getRawAuthority();
    if (!"swift".equals(uri.getScheme())
        || name == null
        || !(name.equals(container) || BackupStorage.CONTAINER.matcher(name).matches())) {
      throw new IllegalArgumentException("not a backup location of this storage: " + location);
    }
    String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
    return new Place(name, checkId(path));
  }

  @Override
  public InputStream open(String location, String checksum) throws IOException {
    Place place = placeOf(location);
    Map<String, String> meta = metadata(location);
    String expected = checksum != null ? checksum : meta.get(FilesystemStorage.CHECKSUM);
    int segments;
    try {
      segments = Integer.parseInt(meta.getOrDefault("segments", "-1"));
    } catch (NumberFormatException e) {
      segments = -1;
    }
    if (segments < 1) {
      // a manifest without its segment count: Swift joins the segments
      return new VerifyingInputStream(
          download(place.container(), place.id(), location), expected, location);
    }
    // the segments one after another, read directly: through the manifest, Swift serves a large
    // object's segments after the tenth at one per second (its default rate limit)
    return new VerifyingInputStream(
        new SegmentsInputStream(place.container(), place.id(), segments, location),
        expected,
        location);
  }

  private InputStream download(String container, String name, String location) throws IOException {
    OSClientV3 os = session.client();
    DLPayload payload;
    try {
      payload = os.objectStorage().objects().download(container, name);
    } catch (RuntimeException e) {
      throw new IOException("cannot read " + location + ": " + e.getMessage(), e);
    }
    int status = payload == null ? 404 : payload.getHttpResponse().getStatus();
    if (status != 200) {
      if (payload != null) {
        payload.getInputStream().close();
      }
      throw new IOException(
          "cannot read " + location + " (" + name + "): Swift answered " + status);
    }
    session.remember(os);
    return payload.getInputStream();
  }

  /** A backup's segments read in order, each opened when the previous one ends. */
  private final class SegmentsInputStream extends InputStream {
    private final String segments;
    private final String backupId;
    private final int count;
    private final String location;
    private int next = 1;
    private InputStream current;

    SegmentsInputStream(String container, String backupId, int count, String location) {
      this.segments = segmentsOf(container);
      this.backupId = backupId;
      this.count = count;
      this.location = location;
    }

    private boolean advance() throws IOException {
      if (current != null) {
        current.close();
        current = null;
      }
      if (next > count) {
        return false;
      }
      current = download(segments, segmentName(backupId, next++), location);
      return true;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      while (current != null || advance()) {
        int n = current.read(b, off, len);
        if (n >= 0) {
          return n;
        }
        if (!advance()) {
          return -1;
        }
      }
      return -1;
    }

    @Override
    public void close() throws IOException {
      next = count + 1;
      if (current != null) {
        current.close();
        current = null;
      }
    }
  }

  @Override
  public Map<String, String> metadata(String location) throws IOException {
    Place place = placeOf(location);
    OSClientV3 os = session.client();
    SwiftObject o;
    try {
      o = os.objectStorage().objects().get(place.container(), place.id());
    } catch (RuntimeException e) {
      throw new IOException("cannot read " + location + ": " + e.getMessage(), e);
    }
    if (o == null) {
      throw new IOException("no complete backup at " + location);
    }
    String encoded = encodedMetadata(o.getMetadata());
    if (encoded == null) {
      throw new IOException("no complete backup at " + location + " (no metadata)");
    }
    Properties p = new Properties();
    p.load(
        new StringReader(new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8)));
    Map<String, String> out = new LinkedHashMap<>();
    p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k)));
    return out;
  }

  @Override
  public boolean exists(String location) {
    try {
      metadata(location);
      return true;
    } catch (IOException | IllegalArgumentException e) {
      return false;
    }
  }

  @Override
  public boolean delete(String requested, String backupId) throws IOException {
    checkId(backupId);
    String container = containerOf(requested);
    OSClientV3 os = session.client();
    try {
      ActionResponse manifest = os.objectStorage().objects().delete(container, backupId);
      boolean had = manifest != null && manifest.isSuccess();
      if (manifest != null && !manifest.isSuccess() && manifest.getCode() != 404) {
        throw new IOException("cannot delete backup " + backupId + ": " + manifest.getFault());
      }
      return deleteSegments(os, segmentsOf(container), backupId) > 0 || had;
    } catch (RuntimeException e) {
      throw new IOException("cannot delete backup " + backupId + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void putObject(String requested, String name, byte[] data) throws IOException {
    BackupStorage.checkObjectName(name);
    String container = requireContainer(requested);
    OSClientV3 os = session.client();
    try {
      created(os.objectStorage().containers().create(container), container);
      put(os, container, name, data, data.length, ObjectPutOptions.create());
      session.remember(os);
    } catch (RuntimeException e) {
      throw new IOException(
          "Swift did not store " + container + "/" + name + ": " + e.getMessage(), e);
    }
  }

  @Override
  public byte[] getObject(String requested, String name) throws IOException {
    String container = requireContainer(requested);
    BackupStorage.checkObjectName(name);
    OSClientV3 os = session.client();
    DLPayload payload;
    try {
      payload = os.objectStorage().objects().download(container, name);
    } catch (RuntimeException e) {
      throw new IOException("cannot read " + container + "/" + name + ": " + e.getMessage(), e);
    }
    int status = payload == null ? 404 : payload.getHttpResponse().getStatus();
    if (status == 404) {
      if (payload != null) {
        payload.getInputStream().close();
      }
      throw new java.io.FileNotFoundException("no object " + name + " in " + container);
    }
    try (InputStream in = payload.getInputStream()) {
      if (status != 200) {
        throw new IOException(
            "cannot read " + container + "/" + name + ": Swift answered " + status);
      }
      byte[] data = in.readAllBytes();
      session.remember(os);
      return data;
    }
  }

  @Override
  public List<String> listObjects(String requested) throws IOException {
    String container = requireContainer(requested);
    OSClientV3 os = session.client();
    List<String> names = new java.util.ArrayList<>();
    String marker = null;
    try {
      // Swift answers at most 10,000 names a request: page on with the last name as marker
      while (true) {
        ObjectListOptions options = ObjectListOptions.create().limit(listPage);
        if (marker != null) {
          options.marker(marker);
        }
        List<? extends SwiftObject> page = os.objectStorage().objects().list(container, options);
        if (page == null || page.isEmpty()) {
          break;
        }
        for (SwiftObject o : page) {
          if (BackupStorage.OBJECT_NAME.matcher(o.getName()).matches()) {
            names.add(o.getName());
          }
        }
        if (page.size() < listPage) {
          break;
        }
        marker = page.get(page.size() - 1).getName();
      }
    } catch (RuntimeException e) {
      throw new IOException("cannot list " + container + ": " + e.getMessage(), e);
    }
    names.sort(java.util.Comparator.naturalOrder());
    return names;
  }

  @Override
  public boolean deleteObject(String requested, String name) throws IOException {
    String container = requireContainer(requested);
    BackupStorage.checkObjectName(name);
    OSClientV3 os = session.client();
    try {
      ActionResponse r = os.objectStorage().objects().delete(container, name);
      if (r != null && !r.isSuccess() && r.getCode() != 404) {
        throw new IOException("cannot delete " + container + "/" + name + ": " + r.getFault());
      }
      return r != null && r.isSuccess();
    } catch (RuntimeException e) {
      throw new IOException("cannot delete " + container + "/" + name + ": " + e.getMessage(), e);
    }
  }

  /** Sets how many names one listing request asks for (tests page with small numbers). */
  void listPage(int names) {
    this.listPage = names;
  }

  private static String requireContainer(String container) {
    if (container == null) {
      throw new IllegalArgumentException("archive objects live in a named container");
    }
    return BackupStorage.checkContainer(container);
  }
}
