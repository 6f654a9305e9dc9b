package dev.tempmedia.junit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * What the server did, one item at a time in the order it happened, like MockWebServer's {@code
 * takeRequest}: the finished requests ({@link Tempmedia#requests()}) or the sent messages ({@link
 * Tempmedia#messages()}). The server hands each item over as it happens (no polling); a take waits
 * for the next one. Items stay queued until taken, so a test can also look after the fact; at most
 * {@link #CAPACITY} of them, the oldest dropped first, so a test that never takes (or a load test
 * through the harness) cannot make the queue grow without bound.
 *
 * @param <T> {@link dev.tempmedia.inspector.RequestRecord} or {@link
 *     dev.tempmedia.outbox.SentMessage}
 */
public final class Feed<T> {
  /** The most items kept untaken. */
  public static final int CAPACITY = 1_000;

  private final String what;
  private final LinkedBlockingQueue<T> queue;
  private final java.util.concurrent.atomic.AtomicLong dropped =
      new java.util.concurrent.atomic.AtomicLong();

  Feed(String what) {
    this(what, CAPACITY);
  }

  Feed(String what, int capacity) {
    this.what = what;
    this.queue = new LinkedBlockingQueue<>(capacity);
  }

  /** Called by the server's hook, on its thread: only queues, dropping the oldest when full. */
  void offer(T item) {
    while (!queue.offer(item)) {
      if (queue.poll() != null) {
        dropped.incrementAndGet();
      }
    }
  }

  /** How many items were dropped, oldest first, because {@link #CAPACITY} were waiting untaken. */
  public long dropped() {
    return dropped.get();
  }

  /**
   * The next item, waiting up to {@code timeout} for it.
   *
   * @throws AssertionError when none comes in time
   */
  public T take(Duration timeout) {
    return poll(timeout)
        .orElseThrow(() -> new AssertionError("no " + what + " within " + pretty(timeout)
            + (dropped.get() > 0
                ? " (" + dropped.get() + " older ones were dropped untaken)"
                : "")));
  }

  /**
   * The next item that passes {@code filter}, waiting up to {@code timeout} in all; the items before
   * it that do not pass are taken and dropped.
   *
   * @throws AssertionError when none comes in time
   */
  public T take(Duration timeout, Predicate<? super T> filter) {
    long until = System.nanoTime() + timeout.toNanos();
    List<T> skipped = new ArrayList<>();
    while (true) {
      T next = next(until - System.nanoTime());
      if (next == null) {
        throw new AssertionError("no matching " + what + " within " + pretty(timeout)
            + (skipped.isEmpty() ? "" : "; passed over " + skipped));
      }
      if (filter.test(next)) {
        return next;
      }
      skipped.add(next);
    }
  }

  /** The next item, or empty when none comes within {@code timeout}. */
  public Optional<T> poll(Duration timeout) {
    return Optional.ofNullable(next(timeout.toNanos()));
  }

  /** Every item queued now, oldest first, without waiting; the queue is then empty. */
  public List<T> drain() {
    List<T> all = new ArrayList<>();
    queue.drainTo(all);
    return all;
  }

  /** Forgets what is queued (a per-class server does it between tests). */
  public void clear() {
    queue.clear();
    dropped.set(0);
  }

  /** How many items wait to be taken. */
  public int size() {
    return queue.size();
  }

  private T next(long nanos) {
    try {
      return nanos <= 0 ? queue.poll() : queue.poll(nanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a " + what, e);
    }
  }

  private static String pretty(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }
}
