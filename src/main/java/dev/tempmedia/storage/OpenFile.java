package dev.tempmedia.storage;

import java.nio.channels.FileChannel;

/**
 * An object's file, open for reading, lent for one response by {@link Blob#openFile}. The channel
 * may be shared with other downloads of the same object at the same time, so it is read only at
 * explicit positions (sendfile from an offset, {@code read(buffer, position)}), never by moving its
 * position, and never closed by the borrower: {@link #close} gives the lease back.
 */
public interface OpenFile extends AutoCloseable {
  FileChannel channel();

  /** Gives the lease back; the file is closed once no lease and no cache entry holds it. */
  @Override
  void close();
}
