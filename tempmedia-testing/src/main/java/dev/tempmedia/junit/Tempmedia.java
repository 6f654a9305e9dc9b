package dev.tempmedia.junit;

import dev.tempmedia.auth.App;
import dev.tempmedia.auth.DevApps;
import dev.tempmedia.clock.ServerClock;
import dev.tempmedia.config.ConfigLoader;
import dev.tempmedia.config.ConfigValidator;
import dev.tempmedia.config.TempmediaConfig;
import dev.tempmedia.emulator.ClockControl;
import dev.tempmedia.emulator.FaultRules;
import dev.tempmedia.inspector.RequestRecord;
import dev.tempmedia.outbox.Outbox;
import dev.tempmedia.outbox.SentMessage;
import dev.tempmedia.server.TempmediaServer;
import dev.tempmedia.wechat.Product;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A tempmedia server running in the test's JVM, on a free port of 127.0.0.1, over a data directory
 * of its own: what {@link TempmediaExtension} hands a test, or what {@link #builder()} starts by
 * hand. Dev mode (unless the configuration says otherwise), with the well-known development apps and
 * {@code storage.fsync: false}.
 *
 * <pre>{@code
 * @RegisterExtension static TempmediaExtension tempmedia = TempmediaExtension.perClass();
 *
 * @Test void expires(Tempmedia server) {
 *   // point the client at server.baseUrl(), as OFFICIAL_ACCOUNT_APPID / OFFICIAL_ACCOUNT_SECRET
 *   server.clock().advance(Duration.ofHours(73));
 *   RequestRecord r = server.requests().take(Duration.ofSeconds(5));
 * }
 * }</pre>
 */
public final class Tempmedia implements AutoCloseable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Tempmedia.class);

  /** The well-known development Official Account ({@code wx0000000000000001}). */
  public static final String OFFICIAL_ACCOUNT_APPID =
      wellKnown(Product.OFFICIAL_ACCOUNT).id();

  /** Its AppSecret. */
  public static final String OFFICIAL_ACCOUNT_SECRET = secretOf(Product.OFFICIAL_ACCOUNT);

  /** The well-known development Mini Program ({@code wx0000000000000002}). */
  public static final String MINI_PROGRAM_APPID =
      wellKnown(Product.MINI_PROGRAM).id();

  /** Its AppSecret. */
  public static final String MINI_PROGRAM_SECRET = secretOf(Product.MINI_PROGRAM);

  /** The well-known development WeCom corp ({@code ww0000000000000003}). */
  public static final String WECOM_CORPID = wellKnown(Product.WECOM).id();

  /** Its CorpSecret (any agent id is accepted with it). */
  public static final String WECOM_SECRET = secretOf(Product.WECOM);

  private final Builder settings;
  private final Path dataDir;
  private final boolean ownDataDir;
  private final Path configFile;
  private final boolean ownConfigFile;
  private final ServerClock serverClock;
  private final Feed<RequestRecord> requests = new Feed<>("finished request");
  private final Feed<SentMessage> messages = new Feed<>("sent message");
  private final EmulatorClock clock = new EmulatorClock(this::clockControl);
  private final Faults faults = new Faults(this::faultRules);
  private TempmediaServer server;
  private Runnable unsubscribe = () -> {};
  private long startMillis;
  private boolean closed;

  private Tempmedia(Builder settings) {
    this.settings = settings;
    try {
      this.ownDataDir = settings.dataDir == null;
      this.dataDir = ownDataDir ? Files.createTempDirectory("tempmedia-") : settings.dataDir;
      this.ownConfigFile = settings.configFile == null && settings.configYaml != null;
      this.configFile = ownConfigFile
          ? Files.writeString(Files.createTempFile("tempmedia-", ".yaml"), settings.configYaml)
          : settings.configFile;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make the server's temporary directory", e);
    }
    this.serverClock = settings.clock != null ? settings.clock : new ServerClock(Clock.systemUTC());
    try {
      startServer();
    } catch (RuntimeException e) {
      removeOwnFiles();
      throw e;
    }
  }

  /** Settings for a server started by hand; {@link Builder#start()} starts it. */
  public static Builder builder() {
    return new Builder();
  }

  /** A server with the defaults: dev mode, a temporary data directory, local storage and state. */
  public static Tempmedia start() {
    return builder().start();
  }

  private void startServer() {
    Map<String, String> flags = new LinkedHashMap<>(settings.flags);
    flags.put("server.port", "0");
    flags.put("storage.path", dataDir.toString());
    flags.putIfAbsent("storage.fsync", "false");
    long t0 = System.nanoTime();
    // The process environment is not read: a TEMPMEDIA_* variable of the machine must not change a
    // test.
    TempmediaConfig config =
        ConfigValidator.validate(ConfigLoader.load(configFile, Map.of(), flags));
    server = TempmediaServer.start(config, serverClock);
    startMillis = (System.nanoTime() - t0) / 1_000_000;
    Runnable fromLog = server.requests().onAdd(requests::offer);
    Outbox outbox = server.outbox();
    Runnable fromOutbox = outbox == null ? () -> {} : outbox.onArrival(messages::offer);
    unsubscribe = () -> {
      fromLog.run();
      fromOutbox.run();
    };
    LOG.info(
        "tempmedia started at {} in {} ms ({} mode, {} storage, {} state)",
        server.baseUrl(),
        startMillis,
        config.devMode() ? "dev" : "prod",
        config.storage().kind().toString().toLowerCase(java.util.Locale.ROOT),
        config.state().kind().toString().toLowerCase(java.util.Locale.ROOT));
  }

  /** {@code http://127.0.0.1:PORT}, without a trailing slash: the base URL to give a WeChat SDK. */
  public String baseUrl() {
    return server.baseUrl();
  }

  /** {@link #baseUrl()} followed by {@code pathAndQuery} ({@code /cgi-bin/token?…}). */
  public String url(String pathAndQuery) {
    return baseUrl() + pathAndQuery;
  }

  /** The port the server listens on. */
  public int port() {
    return server.port();
  }

  /** The emulator's clock (dev mode): advance it to expire media and tokens. */
  public EmulatorClock clock() {
    return clock;
  }

  /** The fault rules (dev mode): answer an errcode, add latency, drop the connection. */
  public Faults faults() {
    return faults;
  }

  /**
   * Every request the server answers from now on (WeChat's API and {@code /_tempmedia/} alike), in
   * the order the answers went out, as the inspector records them: rid, path (never the query),
   * appid, errcode, errmsg, the diagnosis of an error, the way it came in ({@code via}). A record is
   * queued before the answer's head is written, so after a call returns its record is there.
   */
  public Feed<RequestRecord> requests() {
    return requests;
  }

  /**
   * Every message the send endpoints accept from now on (SPEC §10, dev mode): {@code
   * message/custom/send}, WeCom's {@code message/send}, {@code appchat/send}, {@code kf/send_msg},
   * and the cloud call's; each with its media resolved. With Redis state, the messages of every
   * instance on the same Redis database.
   */
  public Feed<SentMessage> messages() {
    return messages;
  }

  /**
   * Ends every token of an app at once, as {@code POST /_tempmedia/tokens/{appid}/invalidate} does
   * (the next call with one answers 40001, WeCom 40014); returns how many were live.
   */
  public int invalidateTokens(String appid) {
    App app = server
        .apps()
        .find(appid)
        .orElseThrow(() -> new IllegalArgumentException("no app " + appid));
    return server.tokens().invalidateAll(app).toCompletableFuture().join();
  }

  /** How long the last start took, in milliseconds: configuration, storage, state and listening. */
  public long startMillis() {
    return startMillis;
  }

  /** The server's data directory ({@code storage.path}). */
  public Path dataDir() {
    return dataDir;
  }

  /** The running server, for what this class does not cover (its state, media, routes). */
  public TempmediaServer server() {
    return server;
  }

  /**
   * Stops and starts the server again over the same data directory and configuration (a new port):
   * media, apps, tokens and a moved clock survive, as after a process restart. Queued requests and
   * messages stay queued.
   */
  public void restart() {
    if (closed) {
      throw new IllegalStateException("this server is closed");
    }
    unsubscribe.run();
    server.close();
    startServer();
  }

  /** What a per-class server does between two tests: clock back to real time, no fault rules, nothing queued. */
  void resetBetweenTests() {
    if (server.clockControl() != null) {
      clock.reset();
      faults.clear();
    }
    requests.clear();
    messages.clear();
  }

  /** Stops the server and deletes the temporary data directory (a directory given to the builder stays). */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    unsubscribe.run();
    try {
      server.close();
    } finally {
      removeOwnFiles();
    }
  }

  private void removeOwnFiles() {
    if (ownDataDir) {
      deleteTree(dataDir);
    }
    if (ownConfigFile && configFile != null) {
      deleteTree(configFile);
    }
  }

  private ClockControl clockControl() {
    ClockControl control = server.clockControl();
    if (control == null) {
      throw new IllegalStateException("the clock moves only in dev mode");
    }
    return control;
  }

  private FaultRules faultRules() {
    if (!server.config().devMode()) {
      throw new IllegalStateException("fault rules work only in dev mode");
    }
    return server.faults();
  }

  private static App wellKnown(Product product) {
    return DevApps.of(product);
  }

  private static String secretOf(Product product) {
    return DevApps.of(product).secrets().get(0);
  }

  private static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.deleteIfExists(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
          Files.deleteIfExists(dir);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      LOG.warn("could not delete {}: {}", root, e.toString());
    }
  }

  /**
   * How a server is started: configuration keys by their path (any key of tempmedia's YAML), a YAML
   * text or file, the data directory, the S3 + Redis backends of your own. Each {@link #start()} makes
   * a new server with these settings.
   */
  public static final class Builder {
    private final Map<String, String> flags = new LinkedHashMap<>();
    private Path dataDir;
    private Path configFile;
    private String configYaml;
    private ServerClock clock;

    private Builder() {}

    private Builder(Builder other) {
      flags.putAll(other.flags);
      dataDir = other.dataDir;
      configFile = other.configFile;
      configYaml = other.configYaml;
      clock = other.clock;
    }

    /** A copy to change without changing this one. */
    public Builder copy() {
      return new Builder(this);
    }

    /**
     * Sets a configuration key by its path, as a flag would ({@code "rules", "classic-2013"}; {@code
     * "inspector.capacity", "50"}); it wins over the YAML. {@code server.port} and {@code
     * storage.path} are the harness's own.
     */
    public Builder set(String key, String value) {
      flags.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** Every entry of {@code keys} as {@link #set}. */
    public Builder set(Map<String, String> keys) {
      keys.forEach(this::set);
      return this;
    }

    /** A YAML configuration (apps, quotas, rules…) under the keys given with {@link #set}. */
    public Builder configYaml(String yaml) {
      this.configYaml = yaml;
      this.configFile = null;
      return this;
    }

    /** A YAML configuration file, as {@code serve --config} reads it. */
    public Builder configFile(Path file) {
      this.configFile = file;
      this.configYaml = null;
      return this;
    }

    /**
     * The data directory, kept after the server stops (by default a temporary one, deleted then).
     * Starting twice over one directory keeps media, apps and a moved clock, as a restart does.
     */
    public Builder dataDir(Path dir) {
      this.dataDir = dir;
      return this;
    }

    /** The clock the server runs on; several servers of one deployment may share one. */
    public Builder clock(ServerClock clock) {
      this.clock = clock;
      return this;
    }

    /**
     * Media in an S3-compatible store of your own ({@code storage.kind: s3}), path-style addressing,
     * region us-east-1 unless {@link #set} says otherwise ({@code storage.s3.region}, {@code
     * storage.s3.pathStyle}). The bucket is created when missing. Give each test run a bucket of its
     * own: media left there by another run is served too.
     */
    public Builder s3(String endpoint, String bucket, String accessKey, String secretKey) {
      return set("storage.kind", "s3")
          .set("storage.s3.endpoint", endpoint)
          .set("storage.s3.bucket", bucket)
          .set("storage.s3.accessKey", accessKey)
          .set("storage.s3.secretKey", secretKey);
    }

    /**
     * Tokens, apps, the clock offset and the outbox in a Redis of your own ({@code state.kind:
     * redis}), e.g. {@code redis://127.0.0.1:6379/5}. Give each test run a database of its own: a
     * clock moved by an earlier run is taken up at start.
     */
    public Builder redis(String uri) {
      return set("state.kind", "redis").set("state.uri", uri);
    }

    /** Starts a server with these settings and returns once it listens. */
    public Tempmedia start() {
      return new Tempmedia(copy());
    }
  }
}
