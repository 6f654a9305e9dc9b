package dev.tempmedia.emulator;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The fault rules of this instance, in the order they were added; the first that matches and fires
 * wins. Rules stay listed after they are used up, so a test can read how often each one fired.
 * Rules are per instance, not shared through Redis: a test that injects faults talks to one server.
 */
public final class FaultRules {
  private final List<FaultRule> rules = new CopyOnWriteArrayList<>();
  private final AtomicInteger nextId = new AtomicInteger(1);

  /** Adds a rule built from the request's fields (validated there) and returns it with its id. */
  public FaultRule add(
      String path,
      String appid,
      String type,
      Integer errcode,
      long latencyMs,
      boolean drop,
      Integer times,
      Double probability) {
    FaultRule rule = new FaultRule(
        "f" + nextId.getAndIncrement(),
        path,
        blankToNull(appid),
        blankToNull(type),
        errcode,
        latencyMs,
        drop,
        times,
        probability == null ? 1.0 : probability,
        new AtomicLong());
    rules.add(rule);
    return rule;
  }

  public List<FaultRule> list() {
    return List.copyOf(rules);
  }

  /** Removes every rule; returns how many there were. */
  public int clear() {
    int n = rules.size();
    rules.clear();
    return n;
  }

  /** Whether any rule is waiting: the dispatcher skips all fault work when none is (the common case). */
  public boolean armed() {
    for (FaultRule r : rules) {
      if (!r.exhausted()) {
        return true;
      }
    }
    return false;
  }

  /** The rule that fires for this request, if one does (it counts as fired). */
  public Optional<FaultRule> fire(String path, String appid, String type) {
    for (FaultRule r : rules) {
      if (!r.exhausted() && r.matches(path, appid, type) && r.tryFire()) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
