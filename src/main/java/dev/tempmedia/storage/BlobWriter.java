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

  /**
   * Whether the writer holds more than it wants to: the caller should stop reading its source until
   * {@link #whenDrained} runs. A local file never does; a remote store does while a part is on its way.
   */
  default boolean backlogged() {
    return false;
  }

  /** Runs {@code action} (on any thread) once the writer can take more. */
  default void whenDrained(Runnable action) {
    action.run();
  }

  /** Makes the object visible with its metadata, durably (fsync) when the store is set so. Blocking. */
  void commit(BlobMeta meta) throws IOException;

  /** Drops everything written; safe to call more than once and after a failed commit. */
  void abort();
}
