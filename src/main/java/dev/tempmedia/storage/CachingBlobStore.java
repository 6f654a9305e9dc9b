package dev.tempmedia.storage;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * The one metadata cache, in front of any store. Objects never change once committed, so an open
 * object (its metadata and where its bytes are) can be handed out again without a trailer read and
 * JSON parse on disk, or a HEAD in S3. A decorator rather than a cache inside each backend, so that
 * both follow one policy and a new backend gets it for nothing:
 *
 * <ul>
 *   <li>at most {@link #DEFAULT_ENTRIES} objects, the least used dropped first (Caffeine's
 *       frequency-aware eviction, without a lock on the read path: downloads on every event loop and
 *       the I/O pool read it at once);
 *   <li>an entry is trusted for {@link #DEFAULT_TRUST} after it was read from the store: deletes made
 *       here drop their entries at once, but an object purged by another instance sharing the bucket
 *       is seen to be gone within that time;
 *   <li>only objects found are kept, never "absent": an object may be committed (here or on another
 *       instance) right after a miss.
 * </ul>
 */
public final class CachingBlobStore extends ForwardingBlobStore {
  static final long DEFAULT_ENTRIES = 100_000;
  static final Duration DEFAULT_TRUST = Duration.ofMinutes(1);

  private final Cache<BlobKey, Blob> opened;

  public CachingBlobStore(BlobStore store) {
    this(store, DEFAULT_ENTRIES, DEFAULT_TRUST);
  }

  CachingBlobStore(BlobStore store, long entries, Duration trust) {
    super(store);
    this.opened =
        Caffeine.newBuilder().maximumSize(entries).expireAfterWrite(trust).build();
  }

  @Override
  public Optional<Blob> open(BlobKey key) throws IOException {
    Blob cached = opened.getIfPresent(key);
    if (cached != null) {
      // A file removed behind the store's back fails the read, which ends that one response.
      return Optional.of(cached);
    }
    Optional<Blob> blob = store.open(key);
    blob.ifPresent(b -> opened.put(key, b));
    return blob;
  }

  /** A hit is always quick; whether a miss is, is the store's to say. */
  @Override
  public Optional<Blob> known(BlobKey key) {
    Blob cached = opened.getIfPresent(key);
    return cached != null ? Optional.of(cached) : store.known(key);
  }

  @Override
  public boolean delete(BlobKey key) throws IOException {
    try {
      return store.delete(key);
    } finally {
      opened.invalidate(key); // after: an open racing the delete cannot put the entry back
    }
  }

  /** Drops the partition's entries too: a scan of the cache, but only once per partition swept. */
  @Override
  public long deletePartition(Partition partition) throws IOException {
    try {
      return store.deletePartition(partition);
    } finally {
      opened.asMap().keySet().removeIf(partition::holds);
    }
  }

  @Override
  public void close() {
    opened.invalidateAll();
    store.close();
  }
}
