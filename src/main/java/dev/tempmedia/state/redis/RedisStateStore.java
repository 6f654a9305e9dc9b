package dev.tempmedia.state.redis;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tempmedia.state.CallCounterKey;
import dev.tempmedia.state.StateStore;
import dev.tempmedia.state.TokenLine;
import dev.tempmedia.state.TokenLineKey;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * State shared by every instance through Redis. Token checks are the hot path, so reads come from a
 * local cache: each write publishes what changed on {@code tempmedia:changes} ({@code tempmedia:changes:<db>} for a database other than 0) and every instance drops
 * that entry at once; entries also expire after {@link #CACHE_TTL_MILLIS}, which bounds staleness if a
 * message is lost (a reconnect clears the cache too). A token newer than the cached line is always
 * checked against Redis, so a token fresh from another instance is never refused. The caches are
 * bounded in size too: the apps cache also remembers ids that do not exist, and any client can make
 * those up. Token calls use Lettuce's asynchronous API (its futures complete on Lettuce's I/O threads),
 * so no event loop waits for Redis; the blocking methods are for start-up and the operator routes.
 *
 * <p>Keys: {@code <prefix>signing-key}; {@code <prefix>line:<app>/<line>} a hash (g, t, e, p);
 * {@code <prefix>epoch:<app>} a counter; {@code <prefix>apps} a hash of created apps;
 * {@code <prefix>clock-offset} the emulator clock's offset in milliseconds; {@code <prefix>calls:<app>:<day>}
 * a hash of the day's call counters by API path. Issuing is a Lua script, so generations never collide.
 */
public final class RedisStateStore implements StateStore {
  private static final Logger LOG = LoggerFactory.getLogger(RedisStateStore.class);
  /** How stale a cached line or epoch may be when an invalidation message was missed. */
  public static final long CACHE_TTL_MILLIS = 1000;
  /** At most this many token lines and epochs are cached; more are read from Redis again. */
  public static final long MAX_CACHED_LINES = 10_000;
  /** At most this many app ids, known or not, are cached. */
  public static final long MAX_CACHED_APPS = 10_000;

  private static final String ISSUE = """
      local expected = tonumber(ARGV[1])
      local g = tonumber(redis.call('HGET', KEYS[1], 'g') or '0')
      if expected >= 0 and g ~= expected then return nil end
      g = g + 1
      redis.call('HSET', KEYS[1], 'g', g, 't', ARGV[2], 'e', ARGV[3], 'p', ARGV[4])
      redis.call('PUBLISH', KEYS[2], ARGV[5])
      return g
      """;

  /** Counts a call unless the counter stands at the limit (-1 then); a day's counters expire after two days. */
  private static final String COUNT_CALL = """
      local n = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
      if n >= tonumber(ARGV[2]) then return -1 end
      n = redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
      redis.call('EXPIRE', KEYS[1], 172800)
      return n
      """;

  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;
  private final StatefulRedisPubSubConnection<String, String> subscription;
  private final RedisCommands<String, String> redis;
  private final RedisAsyncCommands<String, String> async;
  private final String prefix;
  private final String channel;
  private final int database;
  private final AsyncCache<TokenLineKey, TokenLine> lines = cache(MAX_CACHED_LINES);
  private final AsyncCache<String, Integer> epochs = cache(MAX_CACHED_LINES);
  private final AsyncCache<String, Optional<String>> apps = cache(MAX_CACHED_APPS);
  private final List<LongConsumer> clockListeners = new CopyOnWriteArrayList<>();
  private volatile String issueSha;

  private RedisStateStore(RedisClient client, String prefix, int database) {
    this.client = client;
    this.prefix = prefix;
    this.database = database;
    // Pub/sub channels are global to a Redis server, not per database: deployments that share a
    // server through different databases must not hear each other's changes (a clock move carries
    // its value), so the database is part of the channel's name.
    this.channel = ChangeChannel.name(prefix, database);
    this.connection = client.connect();
    this.redis = connection.sync();
    this.async = connection.async();
    this.subscription = client.connectPubSub();
    subscription.addListener(new RedisPubSubAdapter<>() {
      @Override
      public void message(String ch, String message) {
        ChangeChannel.decode(message)
            .ifPresentOrElse(
                RedisStateStore.this::changed,
                () -> LOG.debug("ignoring unknown change message {}", message));
      }
    });
    subscription.sync().subscribe(channel);
    // After a reconnect, messages sent meanwhile are lost: start from Redis again.
    client.getResources().eventBus().get().subscribe(event -> {
      if (event instanceof io.lettuce.core.event.connection.ConnectedEvent) {
        lines.synchronous().invalidateAll();
        epochs.synchronous().invalidateAll();
        apps.synchronous().invalidateAll();
      }
    });
    this.issueSha = redis.scriptLoad(ISSUE);
  }

  private static <K, V> AsyncCache<K, V> cache(long maximumSize) {
    return Caffeine.newBuilder()
        .expireAfterWrite(Duration.ofMillis(CACHE_TTL_MILLIS))
        .maximumSize(maximumSize)
        .buildAsync();
  }

  /**
   * Connects to {@code uri}; a Redis that cannot be reached stops the start with a message that says so.
   * Keys are namespaced by {@code prefix} ("tempmedia:" unless set), so one Redis can serve several.
   */
  public static RedisStateStore open(String uri, String prefix) {
    RedisURI redisUri = RedisURI.create(uri);
    redisUri.setTimeout(Duration.ofSeconds(2));
    // While Redis is away, calls fail at once (the request answers -1) instead of queueing until a
    // timeout, and reconnection is tried often, so service resumes within ~2 s of Redis returning.
    ClientResources resources = DefaultClientResources.builder()
        .reconnectDelay(Delay.exponential(
            Duration.ofMillis(50), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS))
        .build();
    RedisClient client = RedisClient.create(resources, redisUri);
    client.setOptions(ClientOptions.builder()
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .timeoutOptions(TimeoutOptions.enabled()) // the URI's 2 s, for the asynchronous calls too
        .build());
    try {
      return new RedisStateStore(client, prefix, redisUri.getDatabase());
    } catch (RuntimeException e) {
      client.shutdown();
      resources.shutdown();
      throw new IllegalStateException(
          "cannot reach Redis at " + redacted(uri) + ": " + rootMessage(e)
              + " (is redis-server running? check state.uri)",
          e);
    }
  }

  /** The outbox on this Redis (SPEC §10): its own connections on this store's client; close it before the store. */
  public RedisOutbox outbox() {
    return new RedisOutbox(client, prefix, database);
  }

  @Override
  public byte[] signingKey(byte[] candidate) {
    String key = prefix + "signing-key";
    redis.setnx(key, Base64.getEncoder().encodeToString(candidate));
    return Base64.getDecoder().decode(redis.get(key));
  }

  @Override
  public CompletionStage<TokenLine> tokenLine(TokenLineKey key) {
    return lines.get(key, (k, executor) -> readLine(k));
  }

  @Override
  public CompletionStage<TokenLine> tokenLineFresh(TokenLineKey key) {
    return readLine(key).thenApply(line -> {
      lines.put(key, CompletableFuture.completedFuture(line));
      return line;
    });
  }

  private CompletableFuture<TokenLine> readLine(TokenLineKey key) {
    return async
        .hgetall(lineKey(key))
        .toCompletableFuture()
        .thenApply(h -> h == null || h.isEmpty()
            ? TokenLine.NONE
            : new TokenLine(
                Long.parseLong(h.get("g")),
                Long.parseLong(h.get("t")),
                Integer.parseInt(h.get("e")),
                Long.parseLong(h.get("p"))));
  }

  @Override
  public CompletionStage<TokenLine> issue(TokenLineKey key, TokenLine.Issue issue) {
    return issueIf(key, -1, issue).thenApply(Optional::orElseThrow);
  }

  @Override
  public CompletionStage<Optional<TokenLine>> issueIf(
      TokenLineKey key, long expectedGeneration, TokenLine.Issue issue) {
    return runIssue(key, expectedGeneration, issue).thenApply(g -> {
      if (g == null) {
        lines.synchronous().invalidate(key);
        return Optional.empty();
      }
      TokenLine line =
          new TokenLine(g, issue.issuedAt(), issue.epoch(), issue.previousValidUntil());
      lines.put(key, CompletableFuture.completedFuture(line));
      return Optional.of(line);
    });
  }

  private CompletionStage<Long> runIssue(TokenLineKey key, long expected, TokenLine.Issue issue) {
    String[] keys = {lineKey(key), channel};
    String[] args = {
      Long.toString(expected),
      Long.toString(issue.issuedAt()),
      Integer.toString(issue.epoch()),
      Long.toString(issue.previousValidUntil()),
      ChangeChannel.encode(new ChangeChannel.Line(key))
    };
    return async
        .<Long>evalsha(issueSha, ScriptOutputType.INTEGER, keys, args)
        .exceptionallyCompose(e -> {
          if (!(unwrapped(e) instanceof RedisNoScriptException)) {
            return CompletableFuture.failedStage(unwrapped(e));
          }
          // Redis restarted and forgot the script.
          return async.scriptLoad(ISSUE).thenCompose(sha -> {
            issueSha = sha;
            return async.<Long>evalsha(sha, ScriptOutputType.INTEGER, keys, args);
          });
        });
  }

  @Override
  public CompletionStage<Integer> appEpoch(String appId) {
    return epochs.get(appId, (id, executor) -> readEpoch(id));
  }

  @Override
  public CompletionStage<Integer> appEpochFresh(String appId) {
    return readEpoch(appId).thenApply(epoch -> {
      epochs.put(appId, CompletableFuture.completedFuture(epoch));
      return epoch;
    });
  }

  private CompletableFuture<Integer> readEpoch(String appId) {
    return async
        .get(prefix + "epoch:" + appId)
        .toCompletableFuture()
        .thenApply(v -> v == null ? 0 : Integer.parseInt(v));
  }

  @Override
  public CompletionStage<Integer> bumpAppEpoch(String appId) {
    return async.incr(prefix + "epoch:" + appId).thenCompose(next -> {
      int epoch = next.intValue();
      epochs.put(appId, CompletableFuture.completedFuture(epoch));
      return async
          .publish(channel, ChangeChannel.encode(new ChangeChannel.Epoch(appId)))
          .thenApply(n -> epoch);
    });
  }

  @Override
  public CompletionStage<OptionalLong> countCall(CallCounterKey key, long limit) {
    String[] keys = {callsKey(key.appId(), key.day())};
    return async
        .<Long>eval(COUNT_CALL, ScriptOutputType.INTEGER, keys, key.path(), Long.toString(limit))
        .thenApply(n -> n < 0 ? OptionalLong.empty() : OptionalLong.of(n));
  }

  @Override
  public CompletionStage<Long> callCount(CallCounterKey key) {
    return async
        .hget(callsKey(key.appId(), key.day()), key.path())
        .thenApply(v -> v == null ? 0L : Long.parseLong(v));
  }

  @Override
  public CompletionStage<Void> clearCallCounts(String appId, String day) {
    return async.del(callsKey(appId, day)).thenApply(n -> null);
  }

  private String callsKey(String appId, String day) {
    return prefix + "calls:" + appId + ":" + day;
  }

  @Override
  public OptionalLong clockOffset() {
    String v = redis.get(prefix + "clock-offset");
    return v == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(v));
  }

  @Override
  public void clockOffset(long offsetMillis) {
    redis.set(prefix + "clock-offset", Long.toString(offsetMillis));
    redis.publish(channel, ChangeChannel.encode(new ChangeChannel.Clock(offsetMillis)));
  }

  @Override
  public void onClockChange(LongConsumer listener) {
    clockListeners.add(listener);
  }

  @Override
  public Map<String, String> appRecords() {
    return redis.hgetall(prefix + "apps");
  }

  @Override
  public CompletionStage<Optional<String>> appRecord(String id) {
    return apps.get(
        id,
        (k, executor) ->
            async.hget(prefix + "apps", k).toCompletableFuture().thenApply(Optional::ofNullable));
  }

  /** How many app ids (known or not) are cached now; at most about {@link #MAX_CACHED_APPS}. */
  public long cachedAppIds() {
    apps.synchronous().cleanUp();
    return apps.synchronous().estimatedSize();
  }

  @Override
  public boolean putAppRecordIfAbsent(String id, String record) {
    boolean added = redis.hsetnx(prefix + "apps", id, record);
    apps.synchronous().invalidate(id);
    redis.publish(channel, ChangeChannel.encode(new ChangeChannel.App(id)));
    return added;
  }

  @Override
  public boolean removeAppRecord(String id) {
    boolean removed = redis.hdel(prefix + "apps", id) > 0;
    apps.synchronous().invalidate(id);
    redis.publish(channel, ChangeChannel.encode(new ChangeChannel.App(id)));
    return removed;
  }

  @Override
  public Map<String, String> jobRecords() {
    return redis.hgetall(prefix + "jobs");
  }

  @Override
  public Optional<String> jobRecord(String id) {
    return Optional.ofNullable(redis.hget(prefix + "jobs", id));
  }

  @Override
  public void putJobRecord(String id, String record) {
    redis.hset(prefix + "jobs", id, record);
  }

  @Override
  public boolean removeJobRecord(String id) {
    return redis.hdel(prefix + "jobs", id) > 0;
  }

  @Override
  public void check() {
    String pong = redis.ping();
    if (!"PONG".equals(pong)) {
      throw new IllegalStateException("Redis answered " + pong + " to PING");
    }
  }

  @Override
  public void close() {
    try {
      subscription.close();
      connection.close();
    } finally {
      // Bounded: Lettuce's own shutdown(quiet, timeout) waits without a bound for its connections
      // to close, and a stop once hung on it for minutes, holding the process after SIGTERM.
      awaitAtMost(client.shutdownAsync(0, 2, TimeUnit.SECONDS), "client");
      awaitAtMost(client.getResources().shutdown(0, 2, TimeUnit.SECONDS), "event loops");
    }
  }

  private static void awaitAtMost(java.util.concurrent.Future<?> closing, String what) {
    try {
      closing.get(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      LOG.warn("the Redis {} did not close within {} s; leaving it", what, CLOSE_TIMEOUT_SECONDS);
    }
  }

  private static final long CLOSE_TIMEOUT_SECONDS = 5;

  private void changed(ChangeChannel.Change change) {
    if (change instanceof ChangeChannel.Line line) {
      lines.synchronous().invalidate(line.key());
    } else if (change instanceof ChangeChannel.Epoch epoch) {
      epochs.synchronous().invalidate(epoch.appId());
    } else if (change instanceof ChangeChannel.App app) {
      apps.synchronous().invalidate(app.id());
    } else if (change instanceof ChangeChannel.Clock clock) {
      clockListeners.forEach(l -> l.accept(clock.offsetMillis()));
    }
  }

  private String lineKey(TokenLineKey key) {
    return prefix + "line:" + key.appId() + "/" + key.line();
  }

  private static String redacted(String uri) {
    return uri.replaceAll("//[^@/]*@", "//***@");
  }

  private static Throwable unwrapped(Throwable e) {
    return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage();
  }
}
