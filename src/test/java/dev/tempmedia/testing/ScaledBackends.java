package dev.tempmedia.testing;

import dev.tempmedia.config.TempmediaConfig;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;

/**
 * The real dependencies of the scale-out mode, started once per test JVM: S3Proxy in this process (an
 * S3-protocol server over memory) and a redis-server process. Each server under test gets its own
 * bucket and its own Redis database, so tests stay independent. Without redis-server the tests that
 * need these are skipped (failed on CI, see {@link Prerequisites}).
 */
public final class ScaledBackends {
  public static final String ACCESS_KEY = "tempmedia-test";
  public static final String SECRET_KEY = "tempmedia-test-secret-key";
  private static final AtomicInteger NEXT = new AtomicInteger();
  private static ScaledBackends instance;

  private final S3Proxy s3proxy;
  private final RedisProcess redis;

  private ScaledBackends() throws Exception {
    s3proxy = S3Proxy.builder()
        .blobStore(new TransientNio2BlobStore())
        .endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
        .build();
    s3proxy.start();
    while (!"STARTED".equals(s3proxy.getState())) {
      Thread.sleep(10);
    }
    redis = new RedisProcess();
    Runtime.getRuntime().addShutdownHook(new Thread(this::stop));
  }

  public static synchronized ScaledBackends get() {
    if (instance == null) {
      RedisProcess
          .requireRedisServer(); // before S3Proxy starts, and outside the catch below: a skip, not
      // an error
      try {
        instance = new ScaledBackends();
      } catch (Exception e) {
        throw new IllegalStateException(
            "cannot start S3Proxy and redis-server for the scale-out tests: " + e, e);
      }
    }
    return instance;
  }

  /** Whether this test run exercises the scale-out mode ({@code -Dtempmedia.test.backend=scaled}). */
  public static boolean enabled() {
    return "scaled".equals(System.getProperty("tempmedia.test.backend"));
  }

  public String s3Endpoint() {
    return "http://127.0.0.1:" + s3proxy.getPort();
  }

  public int redisPort() {
    return redis.port();
  }

  /** Configuration flags for a new, isolated server: its own bucket and Redis database. */
  public Map<String, String> newServerFlags() {
    int n = NEXT.incrementAndGet();
    return sharedFlags("tempmedia-test-" + n, n % 4000 + 1);
  }

  /**
   * The S3 settings of a new bucket of its own on this S3Proxy (named {@code prefix-N}), for a test
   * that opens a store directly rather than through a server; nothing held in memory.
   */
  public TempmediaConfig.S3 newBucket(String prefix) {
    return new TempmediaConfig.S3(
        s3Endpoint(),
        "us-east-1",
        prefix + "-" + NEXT.incrementAndGet(),
        ACCESS_KEY,
        SECRET_KEY,
        true,
        0,
        32);
  }

  /** Flags for servers that share one bucket and one database (several instances acting as one). */
  public Map<String, String> sharedFlags(String bucket, int database) {
    Map<String, String> f = new HashMap<>();
    f.put("storage.kind", "s3");
    f.put("storage.s3.endpoint", s3Endpoint());
    f.put("storage.s3.bucket", bucket);
    f.put("storage.s3.accessKey", ACCESS_KEY);
    f.put("storage.s3.secretKey", SECRET_KEY);
    f.put("storage.s3.pathStyle", "true");
    f.put("state.kind", "redis");
    f.put("state.uri", redis.uri(database));
    return f;
  }

  private void stop() {
    try {
      redis.stop();
    } catch (InterruptedException ignored) {
      Thread.currentThread().interrupt();
    }
    try {
      s3proxy.stop();
    } catch (Exception ignored) {
      // The JVM is exiting.
    }
  }
}
