package dev.tempmedia.quota;

import dev.tempmedia.auth.App;
import dev.tempmedia.clock.ServerClock;
import dev.tempmedia.config.TempmediaConfig;
import dev.tempmedia.state.CallCounterKey;
import dev.tempmedia.state.StateStore;
import dev.tempmedia.wechat.ErrorCode;
import dev.tempmedia.wechat.WeChatException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Daily API quotas (SPEC §13): how many calls an app may make to an API path in a day, counted in
 * the state store (so every instance sharing it counts the same) and reset at 00:00 Asia/Shanghai,
 * WeChat's day, by the server clock: a day is a counter key, so moving the clock past midnight starts
 * new counters. The rule lives here; the store only counts below a limit.
 */
public final class QuotaService {
  /** WeChat's day starts at midnight in China. */
  public static final ZoneId WECHAT_ZONE = ZoneId.of("Asia/Shanghai");

  private static final DateTimeFormatter RESET =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mmxxx");

  private final Map<String, Long> everyApp;
  private final Map<String, Map<String, Long>> byApp;
  private final StateStore state;
  private final ServerClock clock;

  /** One path's standing today. */
  public record Usage(String path, long dailyLimit, long used) {
    public long remain() {
      return Math.max(0, dailyLimit - used);
    }
  }

  public QuotaService(TempmediaConfig config, StateStore state, ServerClock clock) {
    this.everyApp = Map.copyOf(config.quotas());
    this.byApp = new HashMap<>();
    for (TempmediaConfig.App a : config.apps()) {
      if (a != null && a.quotas() != null) {
        byApp.put(a.appid() != null ? a.appid() : a.corpid(), Map.copyOf(a.quotas()));
      }
    }
    this.state = state;
    this.clock = clock;
  }

  /** Whether any quota is configured: when none is, {@link #admit} costs nothing. */
  public boolean any() {
    return !everyApp.isEmpty() || !byApp.isEmpty();
  }

  /** The app's limit for a path: its own entry's, else the top-level one; empty when none. */
  public OptionalLong limit(String appId, String path) {
    Long own = byApp.getOrDefault(appId, Map.of()).get(path);
    Long limit = own != null ? own : everyApp.get(path);
    return limit == null ? OptionalLong.empty() : OptionalLong.of(limit);
  }

  /** Every path with a limit for the app, sorted. */
  public List<String> limitedPaths(String appId) {
    Map<String, Long> merged = new TreeMap<>(everyApp);
    merged.putAll(byApp.getOrDefault(appId, Map.of()));
    return List.copyOf(merged.keySet());
  }

  /**
   * Counts a call that passed the token check, or refuses it with 45009 when the app has used the
   * day's quota for the path (a refused call is not counted).
   */
  public CompletionStage<Void> admit(App app, String path) {
    OptionalLong limit = limit(app.id(), path);
    if (limit.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    ZonedDateTime now = now();
    return state.countCall(key(app.id(), now, path), limit.getAsLong()).thenApply(counted -> {
      if (counted.isEmpty()) {
        throw new WeChatException(
            ErrorCode.DAILY_QUOTA_REACHED,
            app.product(),
            shortName(path) + ": " + limit.getAsLong() + " of " + limit.getAsLong()
                + " calls today; resets at " + nextReset(now));
      }
      return null;
    });
  }

  /** The app's standing on a path today (0 of 0 when the path has no limit). */
  public CompletionStage<Usage> usage(String appId, String path) {
    OptionalLong limit = limit(appId, path);
    if (limit.isEmpty()) {
      return CompletableFuture.completedFuture(new Usage(path, 0, 0));
    }
    return state
        .callCount(key(appId, now(), path))
        .thenApply(used -> new Usage(path, limit.getAsLong(), used));
  }

  /** Sets every counter of the app back to zero for the rest of today. */
  public CompletionStage<Void> clear(String appId) {
    return state.clearCallCounts(appId, now().toLocalDate().toString());
  }

  /** When today's counters end: the next 00:00 Asia/Shanghai, e.g. {@code 2026-12-02T00:00+08:00}. */
  public String nextReset() {
    return nextReset(now());
  }

  private ZonedDateTime now() {
    return clock.instant().atZone(WECHAT_ZONE);
  }

  private static String nextReset(ZonedDateTime now) {
    LocalDate tomorrow = now.toLocalDate().plusDays(1);
    return RESET.format(tomorrow.atStartOfDay(WECHAT_ZONE));
  }

  private static CallCounterKey key(String appId, ZonedDateTime now, String path) {
    return new CallCounterKey(appId, now.toLocalDate().toString(), path);
  }

  /** {@code media/upload} for {@code /cgi-bin/media/upload}: how WeChat's docs name an API. */
  static String shortName(String path) {
    return path.startsWith("/cgi-bin/") ? path.substring("/cgi-bin/".length()) : path;
  }
}
