package dev.tempmedia.outbox;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The readers waiting for a message ({@code GET /_tempmedia/messages?wait=…}): each is woken when a
 * message that passes its filter arrives. Bounded, so that no number of clients can make it grow: a
 * reader over {@link #MAX_WAITING} is refused instead of held.
 */
final class Arrivals {
  static final int MAX_WAITING = 1_000;

  private final Set<Waiter> waiting = ConcurrentHashMap.newKeySet();

  /** A waiting reader: {@code arrived} completes when a message for it comes. */
  record Waiter(MessageFilter filter, CompletableFuture<Void> arrived) {}

  Waiter register(MessageFilter filter) {
    if (waiting.size() >= MAX_WAITING) {
      throw new OutboxBusyException(
          MAX_WAITING + " readers are already waiting for messages; ask without wait, or later");
    }
    Waiter waiter = new Waiter(filter, new CompletableFuture<>());
    waiting.add(waiter);
    return waiter;
  }

  void remove(Waiter waiter) {
    waiting.remove(waiter);
  }

  void arrived(SentMessage message) {
    for (Waiter waiter : waiting) {
      if (waiter.filter().test(message)) {
        waiter.arrived().complete(null);
      }
    }
  }

  int size() {
    return waiting.size();
  }
}
