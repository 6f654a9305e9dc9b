package dev.tempmedia.outbox;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The messages the send endpoints accepted, newest first, bounded (SPEC §10): in memory on a single
 * instance ({@link MemoryOutbox}), in Redis when instances share state, so that every instance of a
 * load-balanced emulator shows every message. Readers may wait for a message that has not come yet.
 */
public abstract class Outbox implements AutoCloseable {
  /** The most messages kept; older ones are dropped first. */
  public static final int CAPACITY = 1_000;
  /** The longest a reader may wait. */
  public static final Duration MAX_WAIT = Duration.ofSeconds(30);

  private final Arrivals arrivals = new Arrivals();
  private final List<Consumer<SentMessage>> listeners = new CopyOnWriteArrayList<>();

  /** Keeps {@code message}; complete once every instance's readers can see it. */
  public abstract CompletionStage<Void> add(SentMessage message);

  /** Up to {@code limit} messages that pass {@code filter}, newest first. */
  public abstract CompletionStage<List<SentMessage>> newest(MessageFilter filter, int limit);

  /** Forgets every message. */
  public abstract CompletionStage<Void> clear();

  @Override
  public void close() {}

  /**
   * Messages that pass {@code filter}: at once when some do; else the first that arrive within
   * {@code wait}, or none when it ends. The reader registers before it looks, so a message that
   * arrives between the look and the wait still wakes it.
   */
  public CompletionStage<List<SentMessage>> await(MessageFilter filter, int limit, Duration wait) {
    return await(filter, limit, wait, null);
  }

  /**
   * As {@link #await(MessageFilter, int, Duration)}, counting only the messages newer than the one
   * whose id is {@code after} (null: every message), so that a reader who has seen the newest can
   * wait for the next one. When that message is no longer kept (cleared, or dropped as the oldest),
   * every kept message is newer than it.
   */
  public CompletionStage<List<SentMessage>> await(
      MessageFilter filter, int limit, Duration wait, String after) {
    return await(filter, limit, wait, after, new CompletableFuture<>());
  }

  /**
   * As {@link #await(MessageFilter, int, Duration, String)}; when {@code abandoned} completes first
   * (the reader went away), the wait ends at once and its place among the waiting readers is freed.
   */
  public CompletionStage<List<SentMessage>> await(
      MessageFilter filter,
      int limit,
      Duration wait,
      String after,
      CompletionStage<Void> abandoned) {
    if (wait.isZero() || wait.isNegative()) {
      return newer(filter, limit, after);
    }
    Arrivals.Waiter waiter = arrivals.register(filter);
    abandoned.thenRun(() -> waiter.arrived().complete(null));
    return newer(filter, limit, after)
        .thenCompose(found -> {
          if (!found.isEmpty()) {
            return CompletableFuture.completedFuture(found);
          }
          return waiter
              .arrived()
              .completeOnTimeout(null, wait.toMillis(), TimeUnit.MILLISECONDS)
              .thenCompose(v -> newer(filter, limit, after));
        })
        .whenComplete((found, failure) -> arrivals.remove(waiter));
  }

  /** The newest messages that pass {@code filter}, less {@code after} and every older one. */
  private CompletionStage<List<SentMessage>> newer(MessageFilter filter, int limit, String after) {
    return newest(filter, limit).thenApply(found -> {
      if (after == null) {
        return found;
      }
      for (int i = 0; i < found.size(); i++) {
        if (after.equals(found.get(i).id())) {
          return found.subList(0, i);
        }
      }
      return found;
    });
  }

  /** Wakes the readers a message is for; the backends call it for their own and for other instances' messages. */
  protected final void arrived(SentMessage message) {
    arrivals.arrived(message);
    for (Consumer<SentMessage> listener : listeners) {
      try {
        listener.accept(message);
      } catch (RuntimeException e) {
        org.slf4j.LoggerFactory.getLogger(Outbox.class)
            .warn("an outbox listener failed: {}", e.toString());
      }
    }
  }

  /**
   * Calls {@code listener} with every message that arrives from now on, in arrival order: this
   * instance's and, with a shared outbox, every other instance's, once each. It runs on the thread
   * that delivers the message (an event loop, Lettuce's), so it must only hand the message on.
   * Returns what ends the subscription.
   */
  public Runnable onArrival(Consumer<SentMessage> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  /** How many readers wait now. */
  public int waiting() {
    return arrivals.size();
  }
}
