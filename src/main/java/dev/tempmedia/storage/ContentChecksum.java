package dev.tempmedia.storage;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.CRC32C;

/**
 * The checksum recorded with every object, {@code crc32c:} and eight hex digits: what shows that an
 * object read back is whole (a torn or truncated write changes it). It was a SHA-256 until the
 * upload benchmarks showed the digest costing about a quarter of an upload's CPU; nothing needs a
 * cryptographic hash of media that is never changed under its id, and CRC-32C runs as one CPU
 * instruction per 8 bytes (docs/benchmarks.md, uploads). Objects stored before carry a bare SHA-256
 * hex in the same place; both are only compared, never parsed.
 */
public final class ContentChecksum {
  private static final String PREFIX = "crc32c:";

  private final CRC32C crc = new CRC32C();

  /** Adds the buffer's remaining bytes, leaving its position where it was. */
  public void update(ByteBuffer data) {
    crc.update(data.duplicate());
  }

  public String value() {
    return format(crc.getValue());
  }

  /** The checksum of a whole array. */
  public static String of(byte[] bytes) {
    CRC32C whole = new CRC32C();
    whole.update(bytes);
    return format(whole.getValue());
  }

  /**
   * Whether {@code bytes} are what {@code recorded} names: a {@code crc32c:} value, or the bare
   * SHA-256 hex of an object stored by an earlier version.
   */
  public static boolean matches(String recorded, byte[] bytes) {
    if (recorded.startsWith(PREFIX)) {
      return recorded.equals(of(bytes));
    }
    try {
      return recorded.equalsIgnoreCase(
          HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private static String format(long crc) {
    String hex = Long.toHexString(crc);
    return PREFIX + "0".repeat(8 - hex.length()) + hex;
  }
}
