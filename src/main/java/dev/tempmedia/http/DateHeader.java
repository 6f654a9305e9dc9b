package dev.tempmedia.http;

import dev.tempmedia.clock.ServerClock;
import dev.tempmedia.http.semantics.HttpDate;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import java.time.Instant;

/**
 * The {@code Date} header of every answer (RFC 9110 §6.6.1, IMF-fixdate), read from the server clock
 * so that a moved emulator clock shows in it as in {@code created_at} and the rid. The formatted value
 * is kept for the second it names: on the hot path a stamp costs a clock read and a compare.
 */
public final class DateHeader {
  private final ServerClock clock;
  private volatile Formatted current = new Formatted(Long.MIN_VALUE, "");

  public DateHeader(ServerClock clock) {
    this.clock = clock;
  }

  /** The value for now, formatted at most once per second of the server clock. */
  public String now() {
    long second = clock.epochSecond();
    Formatted f = current;
    if (f.second != second) {
      // Two event loops may both format the new second: same value, no lock needed.
      f = new Formatted(second, HttpDate.format(Instant.ofEpochSecond(second)));
      current = f;
    }
    return f.value;
  }

  /** Sets the header on a response whose head is about to be written, over any earlier value. */
  public void stamp(HttpServerResponse response) {
    response.headers().set(HttpHeaders.DATE, now());
  }

  private record Formatted(long second, String value) {}
}
