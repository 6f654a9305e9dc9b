package dev.tempmedia.cli.client;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

/**
 * Ends a body read that has had no bytes for too long. The JDK's HTTP client bounds the wait for an
 * answer's head but not the gaps in its body: a connection that goes silent part way (a dropped
 * mobile link, a stuck proxy) would hang a download forever instead of leaving a file to resume.
 * On a stall the guard closes the stream and interrupts the reader, which Java 17's body stream
 * needs both of to give up a blocked read.
 */
final class StallGuard implements Closeable {
  private final InputStream stream;
  private final Thread reader;
  private final long limitNanos;
  private final Thread watcher;
  private volatile long lastProgress = System.nanoTime();
  private volatile boolean fired;
  private volatile boolean closed;

  StallGuard(InputStream stream, Duration limit) {
    this.stream = stream;
    this.reader = Thread.currentThread();
    this.limitNanos = limit.toNanos();
    this.watcher = new Thread(this::watch, "tempmedia-stall-guard");
    watcher.setDaemon(true);
    watcher.start();
  }

  /** Bytes arrived: the clock starts again. */
  void progressed() {
    lastProgress = System.nanoTime();
  }

  /** Whether the guard ended the read. */
  boolean fired() {
    return fired;
  }

  private void watch() {
    long tick = Math.max(1_000_000L, Math.min(limitNanos / 4, 1_000_000_000L));
    while (!closed) {
      try {
        Thread.sleep(tick / 1_000_000L);
      } catch (InterruptedException e) {
        return;
      }
      if (!closed && System.nanoTime() - lastProgress > limitNanos) {
        fired = true;
        try {
          stream.close();
        } catch (IOException ignored) {
          // the read is being abandoned anyway
        }
        reader.interrupt();
        return;
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    watcher.interrupt();
    // The watcher may be between closing the stream and interrupting the reader: wait for it, so
    // that its interrupt cannot reach whatever this thread does next.
    boolean interruptedMeanwhile = false;
    while (true) {
      try {
        watcher.join();
        break;
      } catch (InterruptedException e) {
        interruptedMeanwhile = true;
      }
    }
    if (fired) {
      Thread.interrupted(); // the interrupt was for the read
    } else if (interruptedMeanwhile) {
      Thread.currentThread().interrupt(); // someone else's: keep it
    }
  }
}
