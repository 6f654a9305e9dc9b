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
 * for the next one. Items stay queued until taken, so a test can also look after the fact.
 *
 * @param <T> {@link dev.tempmedia.inspector.RequestRecord} or {@link
 *     dev.tempmedia.outbox.SentMessage}
 */
public final class Feed<T> {
  private final String what;
  private final LinkedBlockingQueue<T> queue = new LinkedBlockingQueue<>();

  Feed(String what) {
    this.what = what;
  }

  /** Called by the server's hook, on its thread: only queues. */
  void offer(T item) {
    queue.offer(item);
  }

  /**
   * The next item, waiting up to {@code timeout} for it.
   *
   * @throws AssertionError when none comes in time
   */
  public T take(Duration timeout) {
    return poll(timeout)
        .orElseThrow(() -> new AssertionError("no " + what + " within " + pretty(timeout)));
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
