package io.coffer.storage;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** The checksum of stored backups: SHA-256 (hardware-accelerated on current CPUs). */
final class Checksums {

  private Checksums() {}

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }
}
