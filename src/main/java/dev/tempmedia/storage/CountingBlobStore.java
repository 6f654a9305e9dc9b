package dev.tempmedia.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Keeps {@link #usage} cheap: a full walk of the store (on S3, a {@code ListObjectsV2} walk of the
 * whole bucket) only now and then, and in between the last walk's figures plus the objects committed
 * here since. Anything deleted here (a purge, a sweep) makes the next call walk again, since what a
 * delete freed is not known without reading it; so does {@link #DEFAULT_RECONCILE} passing, which
 * brings in what other instances sharing the bucket wrote and corrects the count of bytes (the
 * figures added between walks are object sizes, without the local disk's few hundred bytes of
 * metadata trailer).
 */
public final class CountingBlobStore extends ForwardingBlobStore {
  static final Duration DEFAULT_RECONCILE = Duration.ofMinutes(5);

  private final long reconcileNanos;
  private final LongSupplier nanoTime;
  private Usage measured;
  private long measuredAt;
  private long objectsSince;
  private long bytesSince;
  private boolean deletedSince;

  public CountingBlobStore(BlobStore store) {
    this(store, DEFAULT_RECONCILE, System::nanoTime);
  }

  CountingBlobStore(BlobStore store, Duration reconcile, LongSupplier nanoTime) {
    super(store);
    this.reconcileNanos = reconcile.toNanos();
    this.nanoTime = nanoTime;
  }

  @Override
  public BlobWriter create(BlobKey key) throws IOException {
    return new Counted(store.create(key));
  }

  /** Figures for the stored-media gauges: walked now and then, counted in between (see the class). */
  @Override
  public Usage usage() throws IOException {
    for (int attempt = 1; ; attempt++) {
      synchronized (this) {
        if (measured != null
            && !deletedSince
            && nanoTime.getAsLong() - measuredAt < reconcileNanos) {
          return new Usage(measured.objects() + objectsSince, measured.bytes() + bytesSince);
        }
        objectsSince = 0;
        bytesSince = 0;
        deletedSince = false;
      }
      long started = nanoTime.getAsLong();
      Usage walked;
      try {
        walked = store.usage();
      } catch (IOException | RuntimeException e) {
        synchronized (this) {
          measured = null; // the commits counted before this walk are lost with it: walk next time
        }
        throw e;
      }
      synchronized (this) {
        measured = walked;
        measuredAt = started;
        if (objectsSince == 0 && !deletedSince) {
          return walked;
        }
        // Something was committed or deleted during the walk, which may or may not have seen it:
        // walk again (a few times at most), else answer the figures as they stand (a commit counted
        // twice at worst) and walk at the next call.
        if (attempt == 3) {
          deletedSince = true;
          return new Usage(walked.objects() + objectsSince, walked.bytes() + bytesSince);
        }
        measured = null;
      }
    }
  }

  private synchronized void committed(long size) {
    objectsSince++;
    bytesSince += size;
  }

  private synchronized void deleted() {
    deletedSince = true;
  }

  @Override
  public boolean delete(BlobKey key) throws IOException {
    try {
      return store.delete(key);
    } finally {
      deleted();
    }
  }

  @Override
  public long deletePartition(Partition partition) throws IOException {
    try {
      return store.deletePartition(partition);
    } finally {
      deleted();
    }
  }

  /** A writer that reports its object once committed. */
  private final class Counted implements BlobWriter {
    private final BlobWriter writer;

    Counted(BlobWriter writer) {
      this.writer = writer;
    }

    @Override
    public void write(ByteBuffer bytes) throws IOException {
      writer.write(bytes);
    }

    @Override
    public boolean backlogged() {
      return writer.backlogged();
    }

    @Override
    public void whenDrained(Runnable action) {
      writer.whenDrained(action);
    }

    @Override
    public void commit(BlobMeta meta) throws IOException {
      writer.commit(meta);
      committed(meta.size());
    }

    @Override
    public void abort() {
      writer.abort();
    }
  }
}
