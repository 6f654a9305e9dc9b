package dev.tempmedia.storage;

import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Where one object lives: {@code domain/yyyy/MM/dd/HH/objectId}. Every part comes from a verified
 * media_id (a hashed domain tag, the creation hour, a random id), never from what a client typed,
 * and partitions by hour let the expiry sweep drop whole directories or prefixes.
 */
public record BlobKey(String domainTag, long createdAt, String objectId) {
  public BlobKey {
    if (!isHexPart(domainTag) || !isHexPart(objectId)) {
      throw new IllegalArgumentException("blob keys are built from hex parts only");
    }
  }

  /** 8 to 64 lower-case hex digits. A loop, not a regex: every download builds a key. */
  static boolean isHexPart(String s) {
    if (s.length() < 8 || s.length() > 64) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
        return false;
      }
    }
    return true;
  }

  /** The hour partition the object lives in. */
  public Partition partition() {
    return Partition.of(domainTag, createdAt);
  }

  /** The object's path, {@code /}-separated, relative to the store's root. */
  public String path() {
    StringBuilder b = new StringBuilder(domainTag.length() + objectId.length() + 15)
        .append(domainTag)
        .append('/');
    return appendHour(b, createdAt).append('/').append(objectId).toString();
  }

  /**
   * Appends {@code yyyy/MM/dd/HH} of {@code epochSecond}, UTC. By hand rather than with a
   * DateTimeFormatter: every download builds a path, and this is 20× cheaper.
   */
  static StringBuilder appendHour(StringBuilder b, long epochSecond) {
    LocalDateTime t = LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC);
    b.append(t.getYear()).append('/');
    twoDigits(b, t.getMonthValue()).append('/');
    twoDigits(b, t.getDayOfMonth()).append('/');
    return twoDigits(b, t.getHour());
  }

  private static StringBuilder twoDigits(StringBuilder b, int v) {
    return b.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
  }
}
