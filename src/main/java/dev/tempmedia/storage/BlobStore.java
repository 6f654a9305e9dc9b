package dev.tempmedia.storage;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Where media bytes live. It stores and finds; it never decides: expiry, limits and isolation are
 * checked above it (in {@code media}), so a new backend re-implements no rule. Which partitions have
 * expired, in particular, is decided by {@code media.ExpiryPolicy}; a store only lists and drops them.
 * Every implementation passes the same contract suite ({@code BlobStoreContractTest}).
 */
public interface BlobStore extends AutoCloseable {
  /** Starts writing a new object under {@code key}. */
  BlobWriter create(BlobKey key) throws IOException;

  /** The object, or empty when there is none. Blocking. */
  Optional<Blob> open(BlobKey key) throws IOException;

  /** Whether {@link #open} is quick enough for the event loop (a local disk read), or needs a worker. */
  default boolean opensQuickly() {
    return false;
  }

  /**
   * The object, when the store can give it without any I/O (a cache's hit), so that the event loop
   * may take it where {@link #open} would need a worker. Empty says only that it is not known here,
   * never that it is absent: {@link #open} decides that. Not blocking.
   */
  default Optional<Blob> known(BlobKey key) {
    return Optional.empty();
  }

  /** Removes one object; false when there was none. Blocking. */
  boolean delete(BlobKey key) throws IOException;

  /** Every hour partition holding objects, over every domain. Blocking; walks the partition levels. */
  List<Partition> partitions() throws IOException;

  /** One domain's hour partitions, oldest first. Blocking. */
  List<Partition> partitions(String domainTag) throws IOException;

  /** The keys of the objects in one partition (their creation time known to the hour). Blocking. */
  List<BlobKey> list(Partition partition) throws IOException;

  /** Removes a partition and every object in it; returns how many objects it held. Blocking. */
  long deletePartition(Partition partition) throws IOException;

  /** How much is stored: every object, expired ones not yet swept included. Blocking; walks the whole store. */
  Usage usage() throws IOException;

  /** @param objects stored objects; @param bytes their total size as stored */
  record Usage(long objects, long bytes) {}

  /** Throws when the store cannot be read or written (health). */
  void check() throws Exception;

  @Override
  void close();
}
