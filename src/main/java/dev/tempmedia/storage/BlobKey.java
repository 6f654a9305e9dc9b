package dev.tempmedia.storage;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;

/**
 * Where one object lives: {@code domain/yyyy/MM/dd/HH/objectId}. Every part comes from a verified
 * media_id (a hashed domain tag, the creation hour, a random id), never from what a client typed,
 * and partitions by hour let the expiry sweep drop whole directories or prefixes.
 */
public record BlobKey(String domainTag, long createdAt, String objectId) {
  private static final Pattern HEX = Pattern.compile("[0-9a-f]{8,64}");
  private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyy/MM/dd/HH").withZone(ZoneOffset.UTC);

  public BlobKey {
    if (!HEX.matcher(domainTag).matches() || !HEX.matcher(objectId).matches()) {
      throw new IllegalArgumentException("blob keys are built from hex parts only");
    }
  }

  /** {@code yyyy/MM/dd/HH} of the creation time, UTC. */
  public String partition() {
    return HOUR.format(Instant.ofEpochSecond(createdAt));
  }

  /** The object's path, {@code /}-separated, relative to the store's root. */
  public String path() {
    return domainTag + "/" + partition() + "/" + objectId;
  }
}
