package io.coffer.model.secure;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Trove's secure-RPC cipher, for compatibility with Trove guests only: {@code base64(IV ‖
 * AES-256-CBC(key = ASCII of hex(MD5(K)), IV, PKCS#7(data)))}. It is not authenticated; Coffer's
 * own messages use {@link Aead}.
 */
public final class TroveCipher {

  private static final SecureRandom RANDOM = new SecureRandom();

  private TroveCipher() {}

  private static SecretKeySpec key(String k) {
    try {
      byte[] md5 = MessageDigest.getInstance("MD5").digest(k.getBytes(StandardCharsets.UTF_8));
      return new SecretKeySpec(
          HexFormat.of().formatHex(md5).getBytes(StandardCharsets.US_ASCII), "AES");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Encrypts {@code data} with the key string {@code k}. */
  public static String encrypt(String k, byte[] data) {
    byte[] iv = new byte[16];
    RANDOM.nextBytes(iv);
    try {
      Cipher c = Cipher.getInstance("AES/CBC/PKCS5Padding");
      c.init(Cipher.ENCRYPT_MODE, key(k), new IvParameterSpec(iv));
      byte[] ct = c.doFinal(data);
      return Base64.getEncoder()
          .encodeToString(ByteBuffer.allocate(16 + ct.length).put(iv).put(ct).array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Decrypts what {@link #encrypt} (or Trove) made with the key string {@code k}.
   *
   * @throws Aead.AuthenticationException when it does not decrypt (wrong key or altered data; the
   *     scheme cannot always tell)
   */
  public static byte[] decrypt(String k, String base64) {
    byte[] all;
    try {
      all = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new Aead.AuthenticationException("not base64");
    }
    if (all.length < 32 || all.length % 16 != 0) {
      throw new Aead.AuthenticationException("not a Trove ciphertext");
    }
    try {
      Cipher c = Cipher.getInstance("AES/CBC/PKCS5Padding");
      c.init(Cipher.DECRYPT_MODE, key(k), new IvParameterSpec(Arrays.copyOf(all, 16)));
      return c.doFinal(all, 16, all.length - 16);
    } catch (javax.crypto.BadPaddingException e) {
      throw new Aead.AuthenticationException("does not decrypt");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
