package io.coffer.guest.logs;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Reading a log file as the publisher needs it: its size, its first line's digest, whole lines. */
final class LogFiles {

  private LogFiles() {}

  static long size(Path file) {
    try {
      return Files.exists(file) ? Files.size(file) : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  /**
   * The MD5 of a file's first line (Trove's log_header_digest), null while the file has no complete
   * line.
   */
  static String header(Path file) throws IOException {
    if (!Files.exists(file)) {
      return null;
    }
    try (InputStream in = Files.newInputStream(file)) {
      java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
      int b;
      boolean complete = false;
      while ((b = in.read()) >= 0) {
        line.write(b);
        if (b == '\n') {
          complete = true;
          break;
        }
      }
      if (!complete) {
        // a first line still being written has no digest yet
        return null;
      }
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(line.toByteArray()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A whole line (without its newline) ending before {@code end}, or null if none is complete. */
  static String readLine(RandomAccessFile f, long end) throws IOException {
    long start = f.getFilePointer();
    java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
    while (f.getFilePointer() < end) {
      int b = f.read();
      if (b < 0) {
        break;
      }
      if (b == '\n') {
        return line.toString(StandardCharsets.UTF_8);
      }
      line.write(b);
    }
    // an unfinished last line waits for the next publish
    f.seek(start);
    return null;
  }
}
