package dev.tempmedia.server;

import dev.tempmedia.admin.AppRoutes;
import dev.tempmedia.admin.ClockRoutes;
import dev.tempmedia.admin.FaultRoutes;
import dev.tempmedia.admin.HealthRoutes;
import dev.tempmedia.admin.InspectorRoutes;
import dev.tempmedia.admin.MediaAdminRoutes;
import dev.tempmedia.admin.MetricsRoutes;
import dev.tempmedia.admin.OperatorRoutes;
import dev.tempmedia.admin.console.ConsolePages;
import dev.tempmedia.cli.Version;
import dev.tempmedia.emulator.ClockControl;
import dev.tempmedia.emulator.FaultRules;
import dev.tempmedia.http.AccessLog;
import dev.tempmedia.http.Exchange;
import dev.tempmedia.http.ExchangeObserver;
import io.vertx.core.http.HttpMethod;
import dev.tempmedia.http.FaultInjection;
import dev.tempmedia.inspector.RequestLog;
import dev.tempmedia.inspector.RequestRecorder;
import dev.tempmedia.metrics.ServerMetrics;
import java.util.LinkedHashMap;
import java.util.Map;
import dev.tempmedia.auth.AppRegistry;
import dev.tempmedia.auth.CredentialCheck;
import dev.tempmedia.auth.ServerKeys;
import dev.tempmedia.auth.TokenService;
import dev.tempmedia.clock.ServerClock;
import dev.tempmedia.config.TempmediaConfig;
import dev.tempmedia.http.CloudCallRoutes;
import dev.tempmedia.http.Dispatcher;
import dev.tempmedia.http.MediaRoutes;
import dev.tempmedia.http.RouteTable;
import dev.tempmedia.http.TokenRoutes;
import dev.tempmedia.media.ExpiryPolicy;
import dev.tempmedia.media.MediaIdCodec;
import dev.tempmedia.media.MediaService;
import dev.tempmedia.media.VideoLinks;
import dev.tempmedia.media.rules.RuleBook;
import dev.tempmedia.state.StateStore;
import dev.tempmedia.storage.BlobStore;
import dev.tempmedia.storage.CachingBlobStore;
import dev.tempmedia.storage.CountingBlobStore;
import dev.tempmedia.state.redis.RedisStateStore;
import dev.tempmedia.storage.local.LocalBlobStore;
import dev.tempmedia.storage.s3.S3BlobStore;
import dev.tempmedia.state.local.LocalStateStore;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Assembles the server from its configuration and runs it: one HTTP verticle per core sharing the
 * port. Tests start it on port 0 and read {@link #port()}.
 */
public final class TempmediaServer implements AutoCloseable {
  private final TempmediaConfig config;
  private final Vertx vertx;
  private final ServerClock clock;
  private final StateStore state;
  private final AppRegistry apps;
  private final TokenService tokens;
  private final ServerKeys keys;
  private final BlobStore blobs;
  private final MediaService media;
  private final ExpirySweeper sweeper;
  private final ServerMetrics metrics;
  private final RequestLog requests;
  private final FaultRules faults = new FaultRules();
  private final ClockControl clockControl;
  private final MetricsRoutes metricsRoutes;
  private int port;

  private TempmediaServer(TempmediaConfig config, ServerClock clock, Supplier<Vertx> vertxSource) {
    // The metrics registry loads a few hundred classes (~120 ms): built on another thread meanwhile,
    // once logging is set up (a logger first used on two threads at once makes SLF4J replay warnings).
    org.slf4j.LoggerFactory.getILoggerFactory();
    CompletableFuture<ServerMetrics> metricsReady = CompletableFuture.supplyAsync(ServerMetrics::new);
    this.config = config;
    this.clock = clock;
    this.state = openState(config);
    BlobStore openedBlobs = null;
    try {
      this.keys = ServerKeys.resolve(config.security(), state);
      this.apps = AppRegistry.fromConfig(config, state);
      // Only an emulator's clock moves; a prod server never takes up a stored offset.
      this.clockControl = config.devMode() ? ClockControl.attach(clock, state) : null;
      this.requests = new RequestLog(config.inspector().capacity());
      this.tokens = new TokenService(apps, state, keys, clock);
      openedBlobs = openBlobs(config);
      this.blobs = openedBlobs;
      this.media = new MediaService(RuleBook.load(), config.rules(), new MediaIdCodec(keys.mediaIds()), blobs, apps,
          clock);
      this.vertx = vertxSource.get();
      this.metrics = metricsReady.join();
      this.metricsRoutes = new MetricsRoutes(vertx, metrics, blobs, config.admin().metricsOpen());
      this.sweeper = new ExpirySweeper(vertx, media, removed -> {
        metrics.sweep(removed);
        metricsRoutes.refreshUsageNow();
      });
    } catch (RuntimeException e) {
      if (openedBlobs != null) {
        openedBlobs.close();
      }
      state.close();
      throw e;
    }
  }

  /** Starts a server and returns once it is listening. */
  public static TempmediaServer start(TempmediaConfig config) {
    return start(config, ServerClock.system());
  }

  public static TempmediaServer start(TempmediaConfig config, ServerClock clock) {
    return start(config, clock, TempmediaServer::newVertx);
  }

  /**
   * Starts a server on a Vert.x instance {@code vertxSource} supplies (and the server then owns). The
   * command line creates it while the configuration is still being read: loading Vert.x and Netty is
   * a third of the start time, and on two cores it can overlap the rest.
   */
  public static TempmediaServer start(TempmediaConfig config, ServerClock clock, Supplier<Vertx> vertxSource) {
    TempmediaServer server = new TempmediaServer(config, clock, vertxSource);
    try {
      server.listen();
      return server;
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  /** The Vert.x instance a server runs on: native epoll on linux-x86_64 (shipped in the jar), the JDK selector elsewhere. */
  public static Vertx newVertx() {
    return Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
  }

  private static StateStore openState(TempmediaConfig config) {
    if (config.state().kind() == TempmediaConfig.StateKind.REDIS) {
      return RedisStateStore.open(config.state().uri(), "tempmedia:");
    }
    return LocalStateStore.open(Path.of(config.storage().path()).resolve("state"), config.storage().fsync());
  }

  private static BlobStore openBlobs(TempmediaConfig config) {
    BlobStore store = config.storage().kind() == TempmediaConfig.StorageKind.S3
        ? S3BlobStore.open(config.storage().s3(), ExpiryPolicy.MEDIA.storeExpiryDays())
        : LocalBlobStore.open(Path.of(config.storage().path()).resolve("media"), config.storage().fsync());
    // Whatever the backend: the one metadata cache in front, usage from counts between walks.
    return new CachingBlobStore(new CountingBlobStore(store));
  }

  private void listen() {
    RouteTable wechat = new RouteTable();
    new TokenRoutes(new CredentialCheck(apps), tokens).register(wechat);
    MediaRoutes mediaRoutes = new MediaRoutes(vertx, tokens, media, new VideoLinks(keys.links()), apps, clock,
        this::publicUrl);
    mediaRoutes.register(wechat);
    new CloudCallRoutes(vertx, tokens, media).register(wechat);

    OperatorRoutes operator = new OperatorRoutes(vertx, config.devMode() ? null : config.admin().token());
    List<ExchangeObserver> observers = List.of(ExchangeObserver.onFinish(AccessLog::write), new RequestRecorder(requests),
        ExchangeObserver.onFinish(this::measure));
    FaultInjection injection = config.devMode()
        ? new FaultInjection(faults, vertx, tokens, apps, metrics::faultFired) : null;
    Dispatcher dispatcher = new Dispatcher(wechat, operator, clock, observers, injection);
    registerOperatorRoutes(operator, mediaRoutes, dispatcher);

    // Instances share a port only when they name the same one, so port 0 is resolved to a free port
    // first; the rare loss of that port to another process in between is retried.
    int configuredPort = config.server().port();
    for (int attempt = 1; ; attempt++) {
      int chosen = configuredPort == 0 ? FreePort.find(config.server().host()) : configuredPort;
      try {
        deploy(dispatcher, chosen);
        sweeper.start();
        return;
      } catch (IllegalStateException e) {
        if (configuredPort != 0 || attempt == 5 || !(e.getCause() instanceof java.net.BindException)) {
          throw e;
        }
      }
    }
  }

  private void measure(Exchange ex) {
    metrics.request(ex.endpoint(), ex.errcode(), ex.elapsedNanos(), ex.request().bytesRead(),
        ex.wasDropped() ? 0 : ex.request().response().bytesWritten());
    if (ex.errcode() == 0 && ex.request().method() != HttpMethod.GET) {
      metricsRoutes.storageChanged(); // an upload, perhaps: the stored-media gauges are measured again
    }
  }

  /** The {@code /_tempmedia/} namespace; the emulator's powers (clock, faults) only in dev mode. */
  private void registerOperatorRoutes(OperatorRoutes operator, MediaRoutes mediaRoutes, Dispatcher dispatcher) {
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("mode", config.devMode() ? "dev" : "prod");
    info.put("version", Version.text());
    info.put("storage", config.storage().kind() == TempmediaConfig.StorageKind.S3 ? "s3" : "local");
    info.put("state", config.state().kind() == TempmediaConfig.StateKind.REDIS ? "redis" : "local");
    new HealthRoutes(vertx, blobs::check, state::check, info).register(operator);
    operator.pages(ConsolePages.PATH, new ConsolePages());
    new AppRoutes(apps, tokens).register(operator);
    new InspectorRoutes(requests).register(operator);
    new MediaAdminRoutes(apps, media, mediaRoutes, dispatcher, metricsRoutes::storageChanged).register(operator);
    metricsRoutes.register(operator);
    if (config.devMode()) {
      new ClockRoutes(clockControl).register(operator);
      new FaultRoutes(faults).register(operator);
    }
  }

  private void deploy(Dispatcher dispatcher, int chosenPort) {
    HttpServerOptions options = new HttpServerOptions()
        .setHost(config.server().host())
        .setPort(chosenPort)
        .setCompressionSupported(false)
        .setDecompressionSupported(false)
        // Vert.x counts only whole messages (a request head, a body chunk) and writes as activity, so
        // this also closes a connection that trickles a request head a byte at a time (slowloris).
        .setIdleTimeout(config.server().idleTimeout())
        .setIdleTimeoutUnit(TimeUnit.SECONDS);
    List<HttpVerticle> verticles = new CopyOnWriteArrayList<>();
    int instances = Math.max(1, Runtime.getRuntime().availableProcessors());
    await(vertx.deployVerticle(() -> {
      HttpVerticle verticle = new HttpVerticle(options, dispatcher);
      verticles.add(verticle);
      return verticle;
    }, new DeploymentOptions().setInstances(instances)));
    port = verticles.get(0).actualPort();
  }

  public int port() {
    return port;
  }

  public String baseUrl() {
    return "http://" + config.server().host() + ":" + port;
  }

  /** Where video links point: {@code server.publicUrl}, or this server's own address. */
  public String publicUrl() {
    String configured = config.server().publicUrl();
    return configured != null && !configured.isBlank() ? configured.replaceAll("/+$", "") : baseUrl();
  }

  /** Runs the expiry sweep now (it also runs on a timer); returns the objects removed. */
  public long sweepExpiredMedia() {
    return await(sweeper.sweepNow());
  }

  public ServerClock clock() {
    return clock;
  }

  /** The dev-mode fault rules of this instance. */
  public FaultRules faults() {
    return faults;
  }

  public RequestLog requests() {
    return requests;
  }

  public AppRegistry apps() {
    return apps;
  }

  public TokenService tokens() {
    return tokens;
  }

  public MediaService media() {
    return media;
  }

  public TempmediaConfig config() {
    return config;
  }

  @Override
  public void close() {
    try {
      await(vertx.close());
    } catch (RuntimeException e) {
      // Closing is best effort: the state below must still be closed.
    } finally {
      blobs.close();
      state.close();
    }
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw new IllegalStateException(cause.getMessage(), cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting", e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("the server did not start within 30 s", e);
    }
  }
}
