package dev.tempmedia.clock;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one clock every validity check reads: token expiry, media expiry, created_at and rids.
 * In dev mode it can be moved (advanced or set) so that three days pass in a second; it never
 * runs backwards on its own, because the offset only changes when someone moves it.
 */
public final class ServerClock extends Clock {
  private final Clock base;
  private final AtomicLong offsetMillis = new AtomicLong();

  public ServerClock(Clock base) {
    this.base = base;
  }

  public static ServerClock system() {
    return new ServerClock(Clock.systemUTC());
  }

  @Override
  public Instant instant() {
    return base.instant().plusMillis(offsetMillis.get());
  }

  @Override
  public long millis() {
    return base.millis() + offsetMillis.get();
  }

  /** The clock it runs on, unmoved. */
  public Clock baseClock() {
    return base;
  }

  public long epochSecond() {
    return Math.floorDiv(millis(), 1000);
  }

  public Duration offset() {
    return Duration.ofMillis(offsetMillis.get());
  }

  public void advance(Duration by) {
    offsetMillis.addAndGet(by.toMillis());
  }

  /** Makes {@link #instant()} answer {@code target} now, and move on from there in real time. */
  public void set(Instant target) {
    offsetMillis.set(target.toEpochMilli() - base.millis());
  }

  public void setOffset(Duration offset) {
    offsetMillis.set(offset.toMillis());
  }

  public void reset() {
    offsetMillis.set(0);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("the server clock is always UTC");
  }
}
