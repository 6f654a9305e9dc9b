package dev.tempmedia.storage.local;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.tempmedia.storage.OpenFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The local store's open-file cache, as nginx's {@code open_file_cache}: a committed object's file
 * stays open for a while after a download, and the downloads after it share that one descriptor
 * instead of each paying an {@code open}, an {@code fstat} and a {@code close}. An object's file never
 * changes once committed, and every read of it is positional (sendfile from an offset, the trailer's
 * {@code read(buffer, position)}), so one channel serves any number of downloads at once.
 *
 * <p>Each file is reference-counted: the cache holds one reference and every lease one more, and the
 * channel is closed when the last goes. So a file dropped from the cache (evicted, expired, or its
 * object deleted) stays open exactly as long as the downloads already sending it, as it would if
 * each had opened it, and no longer.
 *
 * <ul>
 *   <li>At most {@link #MAX_FILES} files are held (the least used dropped first), so descriptors stay
 *       bounded whatever clients ask for.
 *   <li>A file is held for at most {@link #HELD_FOR} after it was opened, however often it is read: a
 *       file removed behind the store's back (by hand) is seen to be gone, and its disk space given
 *       back, within that time. The store's own deletes drop the file at once ({@link #forget},
 *       {@link #forgetUnder}).
 *   <li>A file that cannot be opened is never cached: its error goes to that one caller.
 * </ul>
 */
final class OpenFiles implements AutoCloseable {
  static final int MAX_FILES = 1_024;
  static final Duration HELD_FOR = Duration.ofMinutes(1);

  private final Cache<Path, SharedFile> files;

  OpenFiles() {
    this(MAX_FILES, HELD_FOR);
  }

  OpenFiles(long maxFiles, Duration heldFor) {
    this(maxFiles, heldFor, Ticker.systemTicker());
  }

  /** @param ticker the time the holding is counted in (a test's own clock) */
  OpenFiles(long maxFiles, Duration heldFor, Ticker ticker) {
    this.files = Caffeine.newBuilder()
        .maximumSize(maxFiles)
        .expireAfterWrite(heldFor)
        .ticker(ticker)
        // On the thread that caused the removal: a delete's caller knows, when it returns, that the
        // cache no longer holds the file. Closing a read-only local file does not block.
        .executor(Runnable::run)
        .removalListener((Path path, SharedFile file, RemovalCause cause) -> {
          if (file != null) {
            file.release();
          }
        })
        .build();
  }

  /**
   * A lease on {@code file}, opened now or shared with the downloads before it.
   *
   * @throws java.nio.file.NoSuchFileException when the file is not there
   */
  OpenFile lease(Path file) throws IOException {
    while (true) {
      SharedFile shared;
      try {
        shared = files.get(file, OpenFiles::open);
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
      if (shared.retain()) {
        return shared.new Lease();
      }
      // Dropped and closed between the look-up and the retain: that entry is gone, open anew.
      files.asMap().remove(file, shared);
    }
  }

  /** Drops {@code file} from the cache: the store deleted it. */
  void forget(Path file) {
    files.invalidate(file);
  }

  /** Drops every file under {@code dir}: the store deleted that directory. */
  void forgetUnder(Path dir) {
    files.asMap().keySet().removeIf(path -> path.startsWith(dir));
  }

  /** How many files the cache holds once pending evictions are done (for tests). */
  long held() {
    files.cleanUp();
    return files.estimatedSize();
  }

  @Override
  public void close() {
    files.invalidateAll();
    files.cleanUp();
  }

  private static SharedFile open(Path file) {
    try {
      return new SharedFile(FileChannel.open(file, StandardOpenOption.READ));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One open channel and how many hold it: the cache's entry (while it is one) and the leases. */
  private static final class SharedFile {
    private final FileChannel channel;
    private final AtomicInteger holders = new AtomicInteger(1); // the cache's

    SharedFile(FileChannel channel) {
      this.channel = channel;
    }

    /** One more holder, unless the last has already gone and the channel is closed. */
    boolean retain() {
      int n;
      do {
        n = holders.get();
        if (n == 0) {
          return false;
        }
      } while (!holders.compareAndSet(n, n + 1));
      return true;
    }

    void release() {
      if (holders.decrementAndGet() == 0) {
        try {
          channel.close();
        } catch (IOException ignored) {
          // Opened read-only: nothing to lose.
        }
      }
    }

    /** A holder's view; closing it twice releases once. */
    final class Lease implements OpenFile {
      private final AtomicBoolean open = new AtomicBoolean(true);

      @Override
      public FileChannel channel() {
        return channel;
      }

      @Override
      public void close() {
        if (open.getAndSet(false)) {
          release();
        }
      }
    }
  }
}
