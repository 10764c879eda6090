package io.coffer.guest.logs;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Where published logs go: a container of named objects, each with a little metadata. */
public interface LogStore {

  /** The container's name, as the log views show it. */
  String container();

  /** Writes an object (replacing one of the same name). */
  void put(String name, byte[] data, Map<String, String> metadata) throws IOException;

  /** The object's bytes, if it exists. */
  Optional<byte[]> get(String name) throws IOException;

  /** The names of the objects under {@code prefix}, in name order. */
  List<String> list(String prefix) throws IOException;

  /** Removes an object if it exists. */
  void delete(String name) throws IOException;
}
