package dev.tempmedia.admin;

/** A dependency whose reachability the health route reports. */
@FunctionalInterface
public interface HealthCheck {
  /** Returns normally when healthy; throws with the reason otherwise. Runs off the event loop. */
  void check() throws Exception;
}
