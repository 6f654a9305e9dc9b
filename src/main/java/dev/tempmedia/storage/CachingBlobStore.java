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
 *       instance) right after a miss;
 *   <li>with a byte budget ({@code storage.s3.memoryCacheMb}), the whole bytes of objects of up to
 *       {@link #LARGEST_HELD} that the store reads over the network are held too, read once when the
 *       object is opened on a worker: a download of a held object is written from memory on the
 *       event loop, where it would otherwise be relayed from S3 (a second HTTP exchange, and a copy
 *       of every chunk). Bytes of a local disk are never held: the kernel's page cache already does
 *       that, and sendfile writes them without a copy. The budget bounds the held bytes, the least
 *       used going first; held bytes are trusted for the same time as the metadata.
 * </ul>
 */
public final class CachingBlobStore extends ForwardingBlobStore {
  static final long DEFAULT_ENTRIES = 100_000;
  static final Duration DEFAULT_TRUST = Duration.ofMinutes(1);

  /**
   * The largest object whose bytes are held: 1/64 of the default budget, so that one object never
   * pushes out most of the others. Larger ones are relayed, where the relay's cost per request is
   * spread over more bytes.
   */
  static final long LARGEST_HELD = 1 << 20;

  private final Cache<BlobKey, Blob> opened;
  /** Held bytes, bounded by their weight; null without a budget. */
  private final Cache<BlobKey, HeldBlob> held;

  /** Metadata only: no bytes held (a local disk, or the budget set to 0). */
  public CachingBlobStore(BlobStore store) {
    this(store, 0);
  }

  /** @param heldBytes how many bytes of small remote objects to hold in memory; 0 holds none */
  public CachingBlobStore(BlobStore store, long heldBytes) {
    this(store, DEFAULT_ENTRIES, DEFAULT_TRUST, heldBytes);
  }

  CachingBlobStore(BlobStore store, long entries, Duration trust, long heldBytes) {
    super(store);
    this.opened =
        Caffeine.newBuilder().maximumSize(entries).expireAfterWrite(trust).build();
    this.held = heldBytes <= 0
        ? null
        : Caffeine.newBuilder()
            .maximumWeight(heldBytes)
            .<BlobKey, HeldBlob>weigher((key, blob) -> blob.weight())
            .expireAfterWrite(trust)
            .build();
  }

  @Override
  public Optional<Blob> open(BlobKey key) throws IOException {
    HeldBlob inMemory = held == null ? null : held.getIfPresent(key);
    if (inMemory != null) {
      return Optional.of(inMemory);
    }
    Blob blob = opened.getIfPresent(key);
    // A file removed behind the store's back fails the read, which ends that one response.
    if (blob == null) {
      Optional<Blob> found = store.open(key);
      if (found.isEmpty()) {
        return found;
      }
      blob = found.get();
      opened.put(key, blob);
    }
    return Optional.of(holding(key, blob));
  }

  /**
   * The held copy of {@code blob} when it qualifies and reads back whole, else {@code blob} itself.
   * Two downloads opening the same object at once may both read it; the second copy replaces the
   * first, which costs a read but never a wrong byte (objects never change).
   */
  private Blob holding(BlobKey key, Blob blob) throws IOException {
    if (held == null || blob.localFile().isPresent() || blob.meta().size() > LARGEST_HELD) {
      return blob;
    }
    Optional<HeldBlob> read = HeldBlob.read(blob);
    if (read.isEmpty()) {
      return blob; // not whole as read: served the way it would be without the budget
    }
    held.put(key, read.get());
    return read.get();
  }

  /**
   * A hit is always quick; whether a miss is, is the store's to say. An object whose metadata is
   * cached but whose bytes are not held (yet, or no longer) is handed out as it is: relayed, rather
   * than sent to a worker for a whole read. Its bytes are held when it is next opened.
   */
  @Override
  public Optional<Blob> known(BlobKey key) {
    HeldBlob inMemory = held == null ? null : held.getIfPresent(key);
    if (inMemory != null) {
      return Optional.of(inMemory);
    }
    Blob cached = opened.getIfPresent(key);
    return cached != null ? Optional.of(cached) : store.known(key);
  }

  @Override
  public boolean delete(BlobKey key) throws IOException {
    try {
      return store.delete(key);
    } finally {
      // after: an open racing the delete cannot put the entry back
      opened.invalidate(key);
      if (held != null) {
        held.invalidate(key);
      }
    }
  }

  /** Drops the partition's entries too: a scan of the cache, but only once per partition swept. */
  @Override
  public long deletePartition(Partition partition) throws IOException {
    try {
      return store.deletePartition(partition);
    } finally {
      opened.asMap().keySet().removeIf(partition::holds);
      if (held != null) {
        held.asMap().keySet().removeIf(partition::holds);
      }
    }
  }

  /** How many bytes are held in memory once pending evictions are done (for tests): 0 without a budget. */
  long heldBytes() {
    if (held == null) {
      return 0;
    }
    held.cleanUp();
    return held.asMap().values().stream().mapToLong(b -> b.meta().size()).sum();
  }

  @Override
  public void close() {
    opened.invalidateAll();
    if (held != null) {
      held.invalidateAll();
    }
    store.close();
  }
}
