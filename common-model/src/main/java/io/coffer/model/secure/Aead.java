package io.coffer.model.secure;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM with a random 96-bit nonce and a 128-bit tag: {@code nonce ‖ ciphertext ‖ tag}. The
 * associated data binds a ciphertext to where it belongs (an instance id, a message id), so a
 * ciphertext moved elsewhere fails to open.
 */
public final class Aead {

  /** Bytes of a key. */
  public static final int KEY_BYTES = 32;

  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();
  // looking a cipher up costs more than using it on a small message: one per thread
  private static final ThreadLocal<Cipher> CIPHER =
      ThreadLocal.withInitial(
          () -> {
            try {
              return Cipher.getInstance("AES/GCM/NoPadding");
            } catch (GeneralSecurityException e) {
              throw new IllegalStateException("AES-GCM unavailable", e);
            }
          });

  private Aead() {}

  /** A new random key. */
  public static SecretKey newKey() {
    byte[] k = new byte[KEY_BYTES];
    RANDOM.nextBytes(k);
    return key(k);
  }

  /** A key from its bytes. */
  public static SecretKey key(byte[] bytes) {
    if (bytes.length != KEY_BYTES) {
      throw new IllegalArgumentException("a key has " + KEY_BYTES + " bytes, not " + bytes.length);
    }
    return new SecretKeySpec(bytes, "AES");
  }

  /** A key from its standard base64 form. */
  public static SecretKey key(String base64) {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(base64.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("a key is standard base64 of " + KEY_BYTES + " bytes");
    }
    return key(bytes);
  }

  /** The standard base64 form of a key. */
  public static String encode(SecretKey key) {
    return Base64.getEncoder().encodeToString(key.getEncoded());
  }

  /** Encrypts and authenticates {@code plain}, binding {@code aad}. */
  public static byte[] seal(SecretKey key, byte[] plain, String aad) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher c = CIPHER.get();
      c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      c.updateAAD(aad.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = c.doFinal(plain);
      return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM unavailable", e);
    }
  }

  /**
   * Opens what {@link #seal} made with the same key and associated data.
   *
   * @throws AuthenticationException when the key, the data or the associated data differ
   */
  public static byte[] open(SecretKey key, byte[] sealed, String aad) {
    if (sealed.length < NONCE_BYTES + TAG_BITS / 8) {
      throw new AuthenticationException("ciphertext too short");
    }
    try {
      Cipher c = CIPHER.get();
      c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
      c.updateAAD(aad.getBytes(StandardCharsets.UTF_8));
      return c.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
    } catch (AEADBadTagException e) {
      throw new AuthenticationException("authentication failed");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM unavailable", e);
    }
  }

  /** A ciphertext that does not open: wrong key, altered, or bound to something else. */
  public static final class AuthenticationException extends RuntimeException {
    public AuthenticationException(String message) {
      super(message);
    }
  }
}
