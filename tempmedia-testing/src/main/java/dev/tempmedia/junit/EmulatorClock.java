package dev.tempmedia.junit;

import dev.tempmedia.emulator.ClockControl;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * The emulator's clock (dev mode), as {@code POST /_tempmedia/clock} moves it: every validity check
 * reads it, so {@code advance(Duration.ofHours(73))} expires media (3 days) and tokens (2 hours) at
 * once. The offset is kept in the server's state, so a restart keeps it and, on shared Redis state,
 * every instance follows it.
 */
public final class EmulatorClock {
  private final Supplier<ClockControl> control;

  EmulatorClock(Supplier<ClockControl> control) {
    this.control = control;
  }

  /** Moves the clock forward (backward for a negative duration). */
  public EmulatorClock advance(Duration by) {
    control.get().advance(by);
    return this;
  }

  /** Makes the clock read {@code instant} now, and run on from there. */
  public EmulatorClock set(Instant instant) {
    control.get().set(instant);
    return this;
  }

  /** Back to real time. */
  public EmulatorClock reset() {
    control.get().reset();
    return this;
  }

  /** What the clock reads now. */
  public Instant now() {
    return control.get().now();
  }

  /** How far it has been moved from real time. */
  public Duration offset() {
    return control.get().offset();
  }
}
