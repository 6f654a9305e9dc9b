package dev.tempmedia.media;

import dev.tempmedia.storage.BlobStore;
import dev.tempmedia.storage.Partition;
import java.io.IOException;

/**
 * When stored media may be dropped, decided once for every backend: a store only lists and deletes
 * hour partitions, and this says which ones have expired. Downloads never depend on it (each checks
 * its id's own expiry); it gives the space back, and spares listings the hours with nothing live.
 *
 * @param lifetimeSeconds how long a media_id is valid from its created_at
 */
public record ExpiryPolicy(long lifetimeSeconds) {
  private static final long DAY_SECONDS = 86_400;

  /** Temporary media's: {@link MediaId#LIFETIME_SECONDS}. */
  public static final ExpiryPolicy MEDIA = new ExpiryPolicy(MediaId.LIFETIME_SECONDS);

  /**
   * Whether every media a partition can hold has expired at {@code now}. The last one it may hold was
   * created just before the hour ended, so the hour goes once its end is a whole lifetime ago:
   * {@code end <= now - lifetime}. Whole hours only: a partition is never partly swept.
   */
  public boolean expired(Partition partition, long now) {
    return partition.endEpochSecond() <= now - lifetimeSeconds;
  }

  /** Deletes every expired partition of {@code store}; returns the objects removed. Blocking. */
  public long sweep(BlobStore store, long now) throws IOException {
    long removed = 0;
    for (Partition partition : store.partitions()) {
      if (expired(partition, now)) {
        removed += store.deletePartition(partition);
      }
    }
    return removed;
  }

  /**
   * The whole days after which a store's own expiry (an S3 lifecycle rule) may delete an object: the
   * lifetime rounded up to whole days, plus one day of margin. The margin is for stores that count
   * days from the midnight before an object's creation rather than rounding up to the one after, as
   * AWS does, and for a store whose clock is behind this server's (an id's created_at is this
   * server's time, the rule runs on the store's): a lifecycle rule must never remove media that is
   * still valid, and the sweep deletes the rest on time anyway.
   */
  public int storeExpiryDays() {
    return Math.toIntExact((lifetimeSeconds + DAY_SECONDS - 1) / DAY_SECONDS + 1);
  }
}
