package dev.tempmedia.state.redis;

import dev.tempmedia.state.StateStore;
import dev.tempmedia.state.TokenLine;
import dev.tempmedia.state.TokenLineKey;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.util.concurrent.TimeUnit;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * State shared by every instance through Redis. Token checks are the hot path, so reads come from a
 * local cache: each write publishes what changed on {@code tempmedia:changes} ({@code tempmedia:changes:<db>} for a database other than 0) and every instance drops
 * that entry at once; entries also expire after {@link #CACHE_TTL_MILLIS}, which bounds staleness if a
 * message is lost (a reconnect clears the cache too). A token newer than the cached line is always
 * checked against Redis, so a token fresh from another instance is never refused.
 *
 * <p>Keys: {@code <prefix>signing-key}; {@code <prefix>line:<app>/<line>} a hash (g, t, e, p);
 * {@code <prefix>epoch:<app>} a counter; {@code <prefix>apps} a hash of created apps;
 * {@code <prefix>clock-offset} the emulator clock's offset in milliseconds. Issuing is a Lua script, so generations never collide.
 */
public final class RedisStateStore implements StateStore {
  private static final Logger LOG = LoggerFactory.getLogger(RedisStateStore.class);
  /** How stale a cached line or epoch may be when an invalidation message was missed. */
  public static final long CACHE_TTL_MILLIS = 1000;
  static final String CHANNEL_SUFFIX = "changes";

  private static final String ISSUE = """
      local expected = tonumber(ARGV[1])
      local g = tonumber(redis.call('HGET', KEYS[1], 'g') or '0')
      if expected >= 0 and g ~= expected then return nil end
      g = g + 1
      redis.call('HSET', KEYS[1], 'g', g, 't', ARGV[2], 'e', ARGV[3], 'p', ARGV[4])
      redis.call('PUBLISH', KEYS[2], ARGV[5])
      return g
      """;

  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;
  private final StatefulRedisPubSubConnection<String, String> subscription;
  private final RedisCommands<String, String> redis;
  private final String prefix;
  private final String channel;
  private final LongSupplier millis;
  private final Map<TokenLineKey, Cached<TokenLine>> lines = new ConcurrentHashMap<>();
  private final Map<String, Cached<Integer>> epochs = new ConcurrentHashMap<>();
  private final Map<String, Cached<Optional<String>>> apps = new ConcurrentHashMap<>();
  private final java.util.List<java.util.function.LongConsumer> clockListeners =
      new java.util.concurrent.CopyOnWriteArrayList<>();
  private String issueSha;

  private record Cached<T>(T value, long loadedAt) {}

  private RedisStateStore(RedisClient client, String prefix, int database, LongSupplier millis) {
    this.client = client;
    this.prefix = prefix;
    // Pub/sub channels are global to a Redis server, not per database: deployments that share a
    // server through different databases must not hear each other's changes (a clock move carries
    // its value), so the database is part of the channel's name.
    this.channel = prefix + CHANNEL_SUFFIX + (database == 0 ? "" : ":" + database);
    this.millis = millis;
    this.connection = client.connect();
    this.redis = connection.sync();
    this.subscription = client.connectPubSub();
    subscription.addListener(new RedisPubSubAdapter<>() {
      @Override
      public void message(String ch, String message) {
        invalidate(message);
      }
    });
    subscription.sync().subscribe(channel);
    // After a reconnect, messages sent meanwhile are lost: start from Redis again.
    client.getResources().eventBus().get().subscribe(event -> {
      if (event instanceof io.lettuce.core.event.connection.ConnectedEvent) {
        lines.clear();
        epochs.clear();
        apps.clear();
      }
    });
    this.issueSha = redis.scriptLoad(ISSUE);
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
        .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS))
        .build();
    RedisClient client = RedisClient.create(resources, redisUri);
    client.setOptions(ClientOptions.builder()
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .build());
    try {
      return new RedisStateStore(client, prefix, redisUri.getDatabase(), System::currentTimeMillis);
    } catch (RuntimeException e) {
      client.shutdown();
      resources.shutdown();
      throw new IllegalStateException("cannot reach Redis at " + redacted(uri) + ": " + rootMessage(e)
          + " (is redis-server running? check state.uri)", e);
    }
  }

  @Override
  public byte[] signingKey(byte[] candidate) {
    String key = prefix + "signing-key";
    redis.setnx(key, Base64.getEncoder().encodeToString(candidate));
    return Base64.getDecoder().decode(redis.get(key));
  }

  @Override
  public TokenLine tokenLine(TokenLineKey key) {
    Cached<TokenLine> c = lines.get(key);
    if (c != null && millis.getAsLong() - c.loadedAt() < CACHE_TTL_MILLIS) {
      return c.value();
    }
    return tokenLineFresh(key);
  }

  @Override
  public TokenLine tokenLineFresh(TokenLineKey key) {
    long now = millis.getAsLong();
    Map<String, String> h = redis.hgetall(lineKey(key));
    TokenLine line = h == null || h.isEmpty() ? TokenLine.NONE : new TokenLine(Long.parseLong(h.get("g")),
        Long.parseLong(h.get("t")), Integer.parseInt(h.get("e")), Long.parseLong(h.get("p")));
    lines.put(key, new Cached<>(line, now));
    return line;
  }

  @Override
  public TokenLine issue(TokenLineKey key, TokenLine.Issue issue) {
    return issueIf(key, -1, issue).orElseThrow();
  }

  @Override
  public Optional<TokenLine> issueIf(TokenLineKey key, long expectedGeneration, TokenLine.Issue issue) {
    Long g = runIssue(key, expectedGeneration, issue);
    if (g == null) {
      lines.remove(key);
      return Optional.empty();
    }
    TokenLine line = new TokenLine(g, issue.issuedAt(), issue.epoch(), issue.previousValidUntil());
    lines.put(key, new Cached<>(line, millis.getAsLong()));
    return Optional.of(line);
  }

  private Long runIssue(TokenLineKey key, long expected, TokenLine.Issue issue) {
    String[] keys = {lineKey(key), channel};
    String[] args = {Long.toString(expected), Long.toString(issue.issuedAt()), Integer.toString(issue.epoch()),
        Long.toString(issue.previousValidUntil()), "line " + key.appId() + "/" + key.line()};
    try {
      return redis.evalsha(issueSha, ScriptOutputType.INTEGER, keys, args);
    } catch (io.lettuce.core.RedisNoScriptException e) {
      issueSha = redis.scriptLoad(ISSUE); // Redis restarted and forgot the script
      return redis.evalsha(issueSha, ScriptOutputType.INTEGER, keys, args);
    }
  }

  @Override
  public int appEpoch(String appId) {
    Cached<Integer> c = epochs.get(appId);
    if (c != null && millis.getAsLong() - c.loadedAt() < CACHE_TTL_MILLIS) {
      return c.value();
    }
    return appEpochFresh(appId);
  }

  @Override
  public int appEpochFresh(String appId) {
    long now = millis.getAsLong();
    String v = redis.get(prefix + "epoch:" + appId);
    int epoch = v == null ? 0 : Integer.parseInt(v);
    epochs.put(appId, new Cached<>(epoch, now));
    return epoch;
  }

  @Override
  public int bumpAppEpoch(String appId) {
    int epoch = redis.incr(prefix + "epoch:" + appId).intValue();
    epochs.put(appId, new Cached<>(epoch, millis.getAsLong()));
    redis.publish(channel, "epoch " + appId);
    return epoch;
  }

  @Override
  public java.util.OptionalLong clockOffset() {
    String v = redis.get(prefix + "clock-offset");
    return v == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(Long.parseLong(v));
  }

  @Override
  public void clockOffset(long offsetMillis) {
    redis.set(prefix + "clock-offset", Long.toString(offsetMillis));
    redis.publish(channel, "clock " + offsetMillis);
  }

  @Override
  public void onClockChange(java.util.function.LongConsumer listener) {
    clockListeners.add(listener);
  }

  @Override
  public Map<String, String> appRecords() {
    return redis.hgetall(prefix + "apps");
  }

  @Override
  public Optional<String> appRecord(String id) {
    Cached<Optional<String>> c = apps.get(id);
    if (c != null && millis.getAsLong() - c.loadedAt() < CACHE_TTL_MILLIS) {
      return c.value();
    }
    long now = millis.getAsLong();
    Optional<String> record = Optional.ofNullable(redis.hget(prefix + "apps", id));
    apps.put(id, new Cached<>(record, now));
    return record;
  }

  @Override
  public boolean putAppRecordIfAbsent(String id, String record) {
    boolean added = redis.hsetnx(prefix + "apps", id, record);
    apps.remove(id);
    redis.publish(channel, "app " + id);
    return added;
  }

  @Override
  public boolean removeAppRecord(String id) {
    boolean removed = redis.hdel(prefix + "apps", id) > 0;
    apps.remove(id);
    redis.publish(channel, "app " + id);
    return removed;
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
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      client.getResources().shutdown();
    }
  }

  private void invalidate(String message) {
    if (message.startsWith("line ")) {
      String rest = message.substring(5);
      int slash = rest.indexOf('/');
      if (slash > 0) {
        lines.remove(new TokenLineKey(rest.substring(0, slash), rest.substring(slash + 1)));
      }
    } else if (message.startsWith("epoch ")) {
      epochs.remove(message.substring(6));
    } else if (message.startsWith("app ")) {
      apps.remove(message.substring(4));
    } else if (message.startsWith("clock ")) {
      long offset = Long.parseLong(message.substring(6));
      clockListeners.forEach(l -> l.accept(offset));
    } else {
      LOG.debug("ignoring unknown change message {}", message);
    }
  }

  private String lineKey(TokenLineKey key) {
    return prefix + "line:" + key.appId() + "/" + key.line();
  }

  private static String redacted(String uri) {
    return uri.replaceAll("//[^@/]*@", "//***@");
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage();
  }

}
