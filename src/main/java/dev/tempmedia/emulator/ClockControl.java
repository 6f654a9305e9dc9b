package dev.tempmedia.emulator;

import dev.tempmedia.clock.ServerClock;
import dev.tempmedia.state.StateStore;
import java.time.Duration;
import java.time.Instant;

/**
 * Moves the emulator's clock for everyone who shares it: the offset is kept in the state store, so it
 * survives a restart, and with Redis state every instance follows a move within a message's time.
 * Dev mode only; a prod server never reads a stored offset.
 */
public final class ClockControl {
  private final ServerClock clock;
  private final StateStore state;

  private ClockControl(ServerClock clock, StateStore state) {
    this.clock = clock;
    this.state = state;
  }

  /** Takes up the offset last stored (if the clock was ever moved through the store) and follows later moves. */
  public static ClockControl attach(ServerClock clock, StateStore state) {
    state.clockOffset().ifPresent(offset -> clock.setOffset(Duration.ofMillis(offset)));
    state.onClockChange(offset -> clock.setOffset(Duration.ofMillis(offset)));
    return new ClockControl(clock, state);
  }

  public Instant now() {
    return Instant.ofEpochMilli(clock.millis());
  }

  public Duration offset() {
    return clock.offset();
  }

  /** Moves the clock forward (or back, for a negative duration) by {@code by}. */
  public void advance(Duration by) {
    store(clock.offset().plus(by));
  }

  /** Makes the clock read {@code target} now, and run on from there. */
  public void set(Instant target) {
    store(Duration.ofMillis(target.toEpochMilli() - clock.baseClock().millis()));
  }

  public void reset() {
    store(Duration.ZERO);
  }

  // Stored first: if the store refuses, the clock has not moved and the caller hears why.
  private void store(Duration offset) {
    state.clockOffset(offset.toMillis());
    clock.setOffset(offset);
  }
}
