package dev.tempmedia.storage;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * An object being written. Nothing of it is visible until {@link #commit} returns, and a writer that
 * is aborted (or never committed) leaves nothing behind.
 */
public interface BlobWriter {
  /** Appends bytes; called on the event loop, so it must not wait on anything but the local disk. */
  void write(ByteBuffer bytes) throws IOException;

  /** Makes the object visible with its metadata, durably (fsync) when the store is set so. Blocking. */
  void commit(BlobMeta meta) throws IOException;

  /** Drops everything written; safe to call more than once and after a failed commit. */
  void abort();
}
