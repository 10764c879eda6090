package io.coffer.storage;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where backups are kept. A backup is one object, named by the backup's id, with a little metadata
 * (its type, parent, the range of write-ahead log it covers). An object becomes visible only once
 * it is complete, so a backup interrupted half-way never counts as stored. Reading an object back
 * verifies its checksum.
 *
 * <p>Implementations: {@code filesystem} ({@link FilesystemStorage}); object stores such as Swift
 * or S3 implement the same operations with multi-part uploads.
 */
public interface BackupStorage {

  /**
   * A container's name (Trove's {@code swift_container}: where a backup goes instead of the default
   * place — a Swift container, a subdirectory of the filesystem storage): a letter or digit, then
   * letters, digits, {@code _ . -}, at most 200 in all.
   */
  Pattern CONTAINER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,199}");

  /** {@code container} if it is a valid container name (null: the default), else an exception. */
  static String checkContainer(String container) {
    if (container != null && !CONTAINER.matcher(container).matches()) {
      throw new IllegalArgumentException("not a valid container name: " + container);
    }
    return container;
  }

  /** The storage kind, e.g. {@code filesystem}. */
  String kind();

  /**
   * Stores the stream as the object of a backup and returns where it went, its size and checksum.
   *
   * @param backupId the backup
   * @param data the backup's bytes; read to the end
   * @param metadata what to keep beside the object (not secret)
   */
  default Stored store(String backupId, InputStream data, Map<String, String> metadata)
      throws IOException {
    return store(null, backupId, data, () -> metadata);
  }

  /**
   * Stores the stream in the default container (see {@link #store(String, String, InputStream,
   * MetadataSource)}).
   */
  default Stored store(String backupId, InputStream data, MetadataSource metadata)
      throws IOException {
    return store(null, backupId, data, metadata);
  }

  /**
   * Stores the stream in {@code container} (null: the default one); once all of it is written,
   * {@code metadata} is asked for what to keep beside the object — it may still refuse the object
   * by throwing (e.g. the program producing the stream failed), and then nothing is stored.
   */
  Stored store(String container, String backupId, InputStream data, MetadataSource metadata)
      throws IOException;

  /** The metadata of an object, known once its bytes are written. */
  @FunctionalInterface
  interface MetadataSource {
    /** The metadata; throwing aborts the store. */
    Map<String, String> get() throws IOException;
  }

  /**
   * Opens a stored object for reading. The stream fails at its end with {@link
   * ChecksumMismatchException} if the bytes do not match {@code checksum} (or the stored checksum
   * when {@code null}).
   */
  InputStream open(String location, String checksum) throws IOException;

  /** The metadata stored with an object; fails if the object is not (completely) stored. */
  Map<String, String> metadata(String location) throws IOException;

  /** Whether a complete object exists at the location. */
  boolean exists(String location);

  /**
   * Removes everything stored for a backup in the default container, complete or partial; returns
   * whether there was any.
   */
  default boolean delete(String backupId) throws IOException {
    return delete(null, backupId);
  }

  /** Removes everything stored for a backup in {@code container} (null: the default one). */
  boolean delete(String container, String backupId) throws IOException;

  /**
   * A name of an archive object (see {@link #putObject}): a letter or digit, then letters, digits,
   * {@code _ . -}, at most 128 in all.
   */
  Pattern OBJECT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

  /** {@code name} if it is a valid archive object name, else an exception. */
  static String checkObjectName(String name) {
    if (name == null || !OBJECT_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("not a valid object name: " + name);
    }
    return name;
  }

  /**
   * Stores a small named object (up to a few tens of MB, kept in memory) in {@code container} — an
   * archive beside the backups, such as a server's write-ahead log. The object replaces any of the
   * same name and becomes visible only once complete.
   */
  void putObject(String container, String name, byte[] data) throws IOException;

  /**
   * The bytes of a named object of {@code container}; {@link java.io.FileNotFoundException} when
   * there is none.
   */
  byte[] getObject(String container, String name) throws IOException;

  /** The names of the complete objects of {@code container}, sorted; none if it does not exist. */
  java.util.List<String> listObjects(String container) throws IOException;

  /** Removes a named object; returns whether it existed. */
  boolean deleteObject(String container, String name) throws IOException;

  /**
   * A stored object.
   *
   * @param location where it is, as recorded in the backup's {@code location}
   * @param bytes its size
   * @param checksum SHA-256 of its bytes, hex
   */
  record Stored(String location, long bytes, String checksum) {}
}
