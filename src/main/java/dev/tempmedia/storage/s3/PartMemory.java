package dev.tempmedia.storage.s3;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The memory all uploads to S3 of one server may hold in their parts at once ({@code
 * storage.s3.uploadMemoryMb}), so that the memory of uploads follows this budget and not the number
 * of clients uploading.
 *
 * <p>A part's bytes come off a socket before anyone can refuse them, so they are always taken;
 * what the budget decides is whether the upload reads on. A writer that finds the budget spent says
 * it is backlogged, its request stops being read, and it is resumed once parts sent by PUTs have
 * given their memory back. Each writer overshoots by what it had already read: one chunk.
 *
 * <p>A part leaves memory only once it is full (or is the last) and sent. If the whole budget sat
 * in parts still filling, every one of them paused, none would ever be sent. So when the budget is
 * spent, no part is on its way and writers wait, the one that has waited longest is let past the
 * budget (an overdraft) until it hands its part to a PUT: the budget is exceeded by at most one part
 * ({@link S3BlobWriter#PART_BYTES}). While that writer's client is slow everyone else waits on it,
 * bounded by the server's idle timeout, which closes a connection that sends nothing.
 *
 * <p>Guarded by its own monitor; the waiting writers are resumed outside it.
 */
public final class PartMemory {
  private final long limit;
  /** Bytes of every part's chunks, filling or sending. */
  private long held;
  /** Bytes of the parts handed to a PUT, which will give them back. */
  private long sending;

  private long peak;
  /** The writer allowed past the budget until its part is handed to a PUT; null for none. */
  private Object overdraft;

  private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();

  private record Waiter(Object writer, Runnable resume) {}

  PartMemory(long limitBytes) {
    if (limitBytes < 0) {
      throw new IllegalArgumentException("negative budget: " + limitBytes);
    }
    this.limit = limitBytes;
  }

  public static PartMemory ofMegabytes(int megabytes) {
    return new PartMemory(megabytes * (1L << 20));
  }

  /** Bytes of a part's new chunk: taken even past the budget (they have been read already). */
  synchronized void take(long bytes) {
    held += bytes;
    peak = Math.max(peak, held);
  }

  /** A part of {@code bytes} went to a PUT; a writer over the budget loses its overdraft with it. */
  synchronized void sending(Object writer, long bytes) {
    sending += bytes;
    if (overdraft == writer) {
      overdraft = null;
    }
  }

  /** A part's chunks went back to the pool. */
  void release(long bytes, boolean wasSending) {
    synchronized (this) {
      held -= bytes;
      if (wasSending) {
        sending -= bytes;
      }
    }
    wake();
  }

  /** Whether {@code writer} should stop reading: the budget is spent and it has no overdraft. */
  synchronized boolean mustWait(Object writer) {
    return held >= limit && overdraft != writer;
  }

  /** Runs {@code resume} once {@code writer} may read on: now, or when memory comes back. */
  void whenRoom(Object writer, Runnable resume) {
    boolean now;
    synchronized (this) {
      now = !mustWait(writer);
      if (!now) {
        waiting.add(new Waiter(writer, resume));
      }
    }
    if (now) {
      resume.run();
    } else {
      wake();
    }
  }

  /** {@code writer} is done (committed or aborted): it neither waits nor holds the overdraft. */
  void leave(Object writer) {
    synchronized (this) {
      waiting.removeIf(w -> w.writer == writer);
      if (overdraft == writer) {
        overdraft = null;
      }
    }
    wake();
  }

  /** The most bytes held at once since this budget was made. */
  public synchronized long peakBytes() {
    return peak;
  }

  public synchronized long heldBytes() {
    return held;
  }

  public long limitBytes() {
    return limit;
  }

  private void wake() {
    List<Runnable> resumed = new ArrayList<>();
    synchronized (this) {
      if (held < limit) {
        while (!waiting.isEmpty()) {
          resumed.add(waiting.poll().resume);
        }
      } else if (sending == 0 && overdraft == null && !waiting.isEmpty()) {
        Waiter oldest = waiting.poll();
        overdraft = oldest.writer;
        resumed.add(oldest.resume);
      }
    }
    resumed.forEach(Runnable::run);
  }
}
