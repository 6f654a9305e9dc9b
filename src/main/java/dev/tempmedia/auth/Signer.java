package dev.tempmedia.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 under one purpose-bound key, truncated to {@link #TAG_BYTES}. Each thread keeps its own
 * {@link Mac}, so signing on the event loop costs no allocation and no lock.
 */
public final class Signer {
  public static final int TAG_BYTES = 16;
  private static final String ALGORITHM = "HmacSHA256";

  private static final byte[] NO_CONTEXT = new byte[0];

  private final ThreadLocal<Mac> macs;

  private Signer(byte[] key) {
    SecretKeySpec spec = new SecretKeySpec(key, ALGORITHM);
    this.macs = ThreadLocal.withInitial(() -> {
      try {
        Mac mac = Mac.getInstance(ALGORITHM);
        mac.init(spec);
        return mac;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
      }
    });
  }

  /** A signer whose key is derived from the master key and a purpose, so purposes never share a key. */
  public static Signer derive(byte[] masterKey, String purpose) {
    return new Signer(new Signer(masterKey).fullMac(purpose.getBytes(StandardCharsets.UTF_8)));
  }

  /** Writes the tag of {@code data[0, length)} at {@code data[length, length + TAG_BYTES)}. */
  public void sign(byte[] data, int length) {
    sign(data, length, NO_CONTEXT);
  }

  /**
   * Like {@link #sign(byte[], int)}, binding the tag also to {@code context}: bytes that are not
   * carried in {@code data} but must match when it is verified (a media_id's owner, for one).
   */
  public void sign(byte[] data, int length, byte[] context) {
    byte[] tag = tag(data, length, context);
    System.arraycopy(tag, 0, data, length, TAG_BYTES);
  }

  /** Whether {@code data[length, length + TAG_BYTES)} is the tag of {@code data[0, length)}; constant time. */
  public boolean verify(byte[] data, int length) {
    return verify(data, length, NO_CONTEXT);
  }

  public boolean verify(byte[] data, int length, byte[] context) {
    if (data.length < length + TAG_BYTES) {
      return false;
    }
    byte[] expected = tag(data, length, context);
    byte[] given = java.util.Arrays.copyOfRange(data, length, length + TAG_BYTES);
    return MessageDigest.isEqual(expected, given);
  }

  /** The full tag of a text, for URL signatures. */
  public byte[] tagOf(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    return tag(bytes, bytes.length, NO_CONTEXT);
  }

  private byte[] tag(byte[] data, int length, byte[] context) {
    Mac mac = macs.get();
    mac.update(data, 0, length);
    mac.update(context);
    byte[] full = mac.doFinal();
    return java.util.Arrays.copyOf(full, TAG_BYTES);
  }

  private byte[] fullMac(byte[] data) {
    Mac mac = macs.get();
    return mac.doFinal(data);
  }
}
