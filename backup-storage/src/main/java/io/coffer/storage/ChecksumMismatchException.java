package io.coffer.storage;

import java.io.IOException;

/** The bytes read back from storage are not the bytes that were stored. */
public class ChecksumMismatchException extends IOException {

  private static final long serialVersionUID = 1L;

  /** A mismatch at {@code location}. */
  public ChecksumMismatchException(String location, String expected, String actual) {
    super("checksum of " + location + " is " + actual + ", expected " + expected);
  }
}
