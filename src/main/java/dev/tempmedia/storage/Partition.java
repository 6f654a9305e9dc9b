package dev.tempmedia.storage;

/**
 * One hour of one domain's objects, {@code domain/yyyy/MM/dd/HH}: objects are stored by the hour they
 * were created in, so that expired media can be dropped a whole directory (or prefix) at a time.
 * Which partitions have expired is not the store's to decide; see {@code media.ExpiryPolicy}.
 *
 * @param domainTag        the owning domain's tag, as in {@link BlobKey}
 * @param startEpochSecond the first second of the hour, UTC
 */
public record Partition(String domainTag, long startEpochSecond) {
  /** How long a partition is: objects created within one hour share one. */
  public static final long SECONDS = 3600;

  public Partition {
    if (!BlobKey.isHexPart(domainTag)) {
      throw new IllegalArgumentException("partitions are named by hex domain tags only");
    }
    if (Math.floorMod(startEpochSecond, SECONDS) != 0) {
      throw new IllegalArgumentException("a partition starts on the hour");
    }
  }

  /** The partition of an object of {@code domainTag} created at {@code epochSecond}. */
  public static Partition of(String domainTag, long epochSecond) {
    return new Partition(domainTag, epochSecond - Math.floorMod(epochSecond, SECONDS));
  }

  /** The first second after the hour: no object of this partition was created at or after it. */
  public long endEpochSecond() {
    return startEpochSecond + SECONDS;
  }

  /** {@code domain/yyyy/MM/dd/HH}, {@code /}-separated, relative to the store's root. */
  public String path() {
    return BlobKey.appendHour(
            new StringBuilder(domainTag.length() + 14).append(domainTag).append('/'),
            startEpochSecond)
        .toString();
  }

  /** The key of an object found in this partition; its creation time is known only to the hour. */
  public BlobKey key(String objectId) {
    return new BlobKey(domainTag, startEpochSecond, objectId);
  }

  public boolean holds(BlobKey key) {
    return key.domainTag().equals(domainTag)
        && key.createdAt() >= startEpochSecond
        && key.createdAt() < endEpochSecond();
  }
}
