package dev.tempmedia.inspector;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The last N requests of this instance, newest first, for the inspector. A fixed ring under a lock:
 * adding is one array store per request, and reads (a person or a test looking) are rare.
 */
public final class RequestLog {
  private final RequestRecord[] ring;
  private long written;

  public RequestLog(int capacity) {
    this.ring = new RequestRecord[capacity];
  }

  public void add(RequestRecord record) {
    if (ring.length == 0) {
      return;
    }
    synchronized (this) {
      ring[(int) (written % ring.length)] = record;
      written++;
    }
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
