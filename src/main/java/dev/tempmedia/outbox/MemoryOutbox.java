package dev.tempmedia.outbox;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The outbox of a single instance: the newest {@link #CAPACITY} messages in memory, and at most
 * {@link #MAX_BYTES} of them, whichever is less (a message's body may be large: a WeCom mpnews
 * carries its articles' HTML).
 */
public final class MemoryOutbox extends Outbox {
  /** About how much memory the kept messages may hold. */
  public static final long MAX_BYTES = 32L * 1024 * 1024;

  private final Deque<SentMessage> messages = new ArrayDeque<>();
  private final int capacity;
  private final long maxBytes;
  private long bytes;

  public MemoryOutbox() {
    this(CAPACITY, MAX_BYTES);
  }

  MemoryOutbox(int capacity, long maxBytes) {
    this.capacity = capacity;
    this.maxBytes = maxBytes;
  }

  @Override
  public CompletionStage<Void> add(SentMessage message) {
    synchronized (this) {
      messages.addFirst(message);
      bytes += message.weight();
      while (messages.size() > capacity || (bytes > maxBytes && messages.size() > 1)) {
        bytes -= messages.removeLast().weight();
      }
    }
    arrived(message);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletionStage<List<SentMessage>> newest(MessageFilter filter, int limit) {
    List<SentMessage> found = new ArrayList<>();
    synchronized (this) {
      for (SentMessage m : messages) {
        if (found.size() >= limit) {
          break;
        }
        if (filter.test(m)) {
          found.add(m);
        }
      }
    }
    return CompletableFuture.completedFuture(found);
  }

  @Override
  public synchronized CompletionStage<Void> clear() {
    messages.clear();
    bytes = 0;
    return CompletableFuture.completedFuture(null);
  }
}
