package dev.tempmedia.inspector;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The last N requests of this instance, newest first, for the inspector. A fixed ring under a lock:
 * adding is one array store per request, and reads (a person or a test looking) are rare. A test in
 * the same JVM can also follow the records as they are added ({@link #onAdd}), instead of asking
 * again and again.
 */
public final class RequestLog {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RequestLog.class);
  private final RequestRecord[] ring;
  private final List<Consumer<RequestRecord>> listeners = new CopyOnWriteArrayList<>();
  private long written;

  public RequestLog(int capacity) {
    this.ring = new RequestRecord[capacity];
  }

  public void add(RequestRecord record) {
    if (ring.length > 0) {
      synchronized (this) {
        ring[(int) (written % ring.length)] = record;
        written++;
      }
    }
    if (!listeners.isEmpty()) {
      for (Consumer<RequestRecord> listener : listeners) {
        try {
          listener.accept(record);
        } catch (RuntimeException e) {
          LOG.warn("a request-log listener failed: {}", e.toString());
        }
      }
    }
  }

  /**
   * Calls {@code listener} with every record added from now on, in the order they are added (also
   * when the ring keeps none), on the thread that adds it: an event loop, so the listener must only
   * hand the record on (a queue's offer), never wait. Returns what ends the subscription.
   */
  public Runnable onAdd(Consumer<RequestRecord> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  /** Up to {@code limit} records that pass {@code filter}, newest first. */
  public List<RequestRecord> newest(Predicate<RequestRecord> filter, int limit) {
    List<RequestRecord> out = new ArrayList<>();
    synchronized (this) {
      long oldest = Math.max(0, written - ring.length);
      for (long i = written - 1; i >= oldest && out.size() < limit; i--) {
        RequestRecord r = ring[(int) (i % ring.length)];
        if (filter.test(r)) {
          out.add(r);
        }
      }
    }
    return out;
  }

  /** The record of a rid, if this instance still holds it. */
  public java.util.Optional<RequestRecord> find(String rid) {
    List<RequestRecord> found = newest(r -> r.rid().equals(rid), 1);
    return found.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(found.get(0));
  }

  public int capacity() {
    return ring.length;
  }
}
