package dev.tempmedia.state;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Daily call counters held in memory, for the stores that keep state in this process. Each app keeps
 * the counters of the newest day it was counted on; a call counted on a later day drops the older
 * day's, so memory stays one small map per app. Not journaled: a counter changes on every counted
 * call, and a count lost to a restart only makes a quota more lenient for the rest of that day.
 */
public final class DailyCounters {
  private final Map<String, Day> byApp = new HashMap<>();

  private record Day(String day, Map<String, Long> counts) {}

  /** The new count, or empty when the counter already stands at {@code limit}. */
  public synchronized OptionalLong count(CallCounterKey key, long limit) {
    Day day = byApp.get(key.appId());
    if (day == null || !day.day().equals(key.day())) {
      day = new Day(key.day(), new HashMap<>());
      byApp.put(key.appId(), day);
    }
    long used = day.counts().getOrDefault(key.path(), 0L);
    if (used >= limit) {
      return OptionalLong.empty();
    }
    day.counts().put(key.path(), used + 1);
    return OptionalLong.of(used + 1);
  }

  public synchronized long value(CallCounterKey key) {
    Day day = byApp.get(key.appId());
    return day == null || !day.day().equals(key.day())
        ? 0
        : day.counts().getOrDefault(key.path(), 0L);
  }

  public synchronized void clear(String appId, String day) {
    Day d = byApp.get(appId);
    if (d != null && d.day().equals(day)) {
      byApp.remove(appId);
    }
  }
}
