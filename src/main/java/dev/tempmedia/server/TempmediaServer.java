package dev.tempmedia.server;

import dev.tempmedia.auth.AppRegistry;
import dev.tempmedia.auth.TokenService;
import dev.tempmedia.clock.ServerClock;
import dev.tempmedia.config.TempmediaConfig;
import dev.tempmedia.emulator.ClockControl;
import dev.tempmedia.emulator.FaultRules;
import dev.tempmedia.http.Dispatcher;
import dev.tempmedia.http.Endpoint;
import dev.tempmedia.http.ForwardProxy;
import dev.tempmedia.http.Via;
import dev.tempmedia.inspector.RequestLog;
import dev.tempmedia.media.MediaService;
import dev.tempmedia.outbox.Outbox;
import dev.tempmedia.state.StateStore;
import dev.tempmedia.tls.ServerCertificates;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.ServerSSLOptions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs a server: {@link ServerAssembly} builds its parts, this class listens (one HTTP verticle per
 * core sharing the port), starts the expiry sweep and closes it all. Tests start it on port 0 and
 * read {@link #port()}.
 */
public final class TempmediaServer implements AutoCloseable {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(TempmediaServer.class);
  private final ServerAssembly parts;
  private int port;
  private Map<String, Endpoint> routes = Map.of();

  private TempmediaServer(ServerAssembly parts) {
    this.parts = parts;
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
  public static TempmediaServer start(
      TempmediaConfig config, ServerClock clock, Supplier<Vertx> vertxSource) {
    TempmediaServer server = new TempmediaServer(new ServerAssembly(config, clock, vertxSource));
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

  private void listen() {
    Dispatcher dispatcher = parts.dispatcher(this::publicUrl);
    routes = dispatcher.routes();
    // Instances share a port only when they name the same one, so port 0 is resolved to a free port
    // first; the rare loss of that port to another process in between is retried.
    TempmediaConfig.Server server = parts.config.server();
    for (int attempt = 1; ; attempt++) {
      int chosen;
      Integer https;
      Integer proxy;
      Integer tunnel;
      try (FreePort free = new FreePort()) {
        chosen = free.resolve(server.port(), server.host());
        https = server.https().port() == null
            ? null
            : free.resolve(server.https().port(), server.host());
        proxy = server.proxy().port() == null
            ? null
            : free.resolve(server.proxy().port(), server.host());
        tunnel = proxy == null ? null : free.on("127.0.0.1");
      }
      try {
        deploy(dispatcher, chosen, https, proxy, tunnel);
        parts.sweeper.start();
        parts.startJobs();
        return;
      } catch (IllegalStateException e) {
        boolean anyFree = server.port() == 0
            || Integer.valueOf(0).equals(server.https().port())
            || Integer.valueOf(0).equals(server.proxy().port())
            || proxy != null;
        if (!anyFree || attempt == 5 || !(e.getCause() instanceof java.net.BindException)) {
          throw e;
        }
        await(parts.vertx.undeploy(deployment).recover(x -> Future.succeededFuture()));
        verticles.clear();
      }
    }
  }

  private final List<HttpVerticle> verticles = new CopyOnWriteArrayList<>();
  private String deployment;

  /**
   * The listeners: the API port; HTTPS with the configured or the local CA's certificate; and the
   * forward proxy with the loopback TLS listener its CONNECT tunnels end in (PROXY protocol, so the
   * client's address survives the hop).
   */
  private void deploy(
      Dispatcher dispatcher,
      int chosenPort,
      Integer httpsPort,
      Integer proxyPort,
      Integer tunnelPort) {
    TempmediaConfig.Server server = parts.config.server();
    List<HttpVerticle.Listener> listeners = new java.util.ArrayList<>();
    listeners.add(new HttpVerticle.Listener("api", base(server.host(), chosenPort), dispatcher));
    if (httpsPort != null) {
      listeners.add(new HttpVerticle.Listener(
          "https", tls(base(server.host(), httpsPort)), dispatcher.via(Via.HTTPS)));
    }
    if (proxyPort != null) {
      listeners.add(new HttpVerticle.Listener(
          "proxy-tunnels",
          tls(base("127.0.0.1", tunnelPort)).setUseProxyProtocol(true),
          dispatcher.via(Via.PROXY_TUNNEL)));
      listeners.add(new HttpVerticle.Listener(
          "proxy",
          base(server.host(), proxyPort),
          new ForwardProxy(
              parts.vertx,
              ServerCertificates.WECHAT_HOSTS,
              dispatcher.via(Via.PROXY),
              tunnelPort,
              chosenPort,
              server.idleTimeout())));
    }
    int instances = Math.max(1, Runtime.getRuntime().availableProcessors());
    deployment = await(parts.vertx.deployVerticle(
        () -> {
          HttpVerticle verticle = new HttpVerticle(listeners);
          verticles.add(verticle);
          return verticle;
        },
        new DeploymentOptions().setInstances(instances)));
    port = verticles.get(0).actualPort();
    this.httpsPort = httpsPort == null ? -1 : httpsPort;
    this.proxyPort = proxyPort == null ? -1 : proxyPort;
    if (parts.certificates != null) {
      renewals = parts.vertx.setPeriodic(RENEWAL_CHECK.toMillis(), t -> renewCertificate());
    }
  }

  /** How often the served leaf is checked for its end. */
  static final java.time.Duration RENEWAL_CHECK = java.time.Duration.ofHours(6);

  private long renewals = -1;
  private int httpsPort = -1;
  private int proxyPort = -1;

  /** The largest body chunk handed to a route at once. */
  static final int BODY_CHUNK = 128 * 1024;

  private HttpServerOptions base(String host, int port) {
    return new HttpServerOptions()
        .setHost(host)
        .setPort(port)
        .setCompressionSupported(false)
        .setDecompressionSupported(false)
        // Netty's decoder cuts a body into chunks of at most 8 KiB by default, so a 64 KiB socket
        // read became eight handler calls and eight file writes. A chunk is a slice of what was
        // read, never waited for, so a larger limit costs no memory (docs/benchmarks.md, uploads).
        .setMaxChunkSize(BODY_CHUNK)
        // Vert.x counts only whole messages (a request head, a body chunk) and writes as activity,
        // so this also closes a connection that trickles a request head a byte at a time
        // (slowloris).
        .setIdleTimeout(parts.config.server().idleTimeout())
        .setIdleTimeoutUnit(TimeUnit.SECONDS);
  }

  /** TLS 1.2 and 1.3, HTTP/2 or HTTP/1.1 by ALPN, with the served certificate. */
  private HttpServerOptions tls(HttpServerOptions options) {
    ServerCertificates.Served served = parts.certificates.current();
    options
        .setSsl(true)
        .setUseAlpn(true)
        .setKeyCertOptions(keyCert(served))
        .setEnabledSecureTransportProtocols(TLS_VERSIONS);
    return options;
  }

  private static final java.util.Set<String> TLS_VERSIONS = java.util.Set.of("TLSv1.2", "TLSv1.3");

  private static PemKeyCertOptions keyCert(ServerCertificates.Served served) {
    return new PemKeyCertOptions()
        .setCertValue(Buffer.buffer(served.certPem()))
        .setKeyValue(Buffer.buffer(served.keyPem()));
  }

  private ServerSSLOptions sslOptions() {
    return new ServerSSLOptions()
        .setKeyCertOptions(keyCert(parts.certificates.current()))
        .setEnabledSecureTransportProtocols(TLS_VERSIONS);
  }

  /** A leaf that nears its end is issued again and every TLS listener takes it up. */
  private void renewCertificate() {
    parts
        .vertx
        .executeBlocking(() -> parts.certificates.renewIfDue(), false)
        .onSuccess(renewed -> {
          if (renewed) {
            ServerSSLOptions ssl = sslOptions();
            verticles.forEach(v -> v.updateCertificate(ssl));
            LOG.info(
                "issued a new certificate for {}, valid until {}",
                parts.certificates.names(),
                parts.certificates.current().leaf().getNotAfter().toInstant());
          }
        })
        .onFailure(e -> LOG.warn("could not renew the served certificate: {}", e.getMessage()));
  }

  /** Checks the served leaf now, as the 6-hourly timer does (tests). */
  public void renewCertificateNow() {
    renewCertificate();
  }

  /** How many readers wait on the outbox now (0 without one). */
  public int outboxWaiting() {
    return parts.outbox == null ? 0 : parts.outbox.waiting();
  }

  /** The outbox of sent messages (SPEC §10), or null in prod mode, which keeps none. */
  public Outbox outbox() {
    return parts.outbox;
  }

  /**
   * Moves the emulator's clock as {@code POST /_tempmedia/clock} does: kept in the state store, so a
   * restart and every instance sharing the state follow it. Null in prod mode, whose clock never moves.
   */
  public ClockControl clockControl() {
    return parts.clockControl;
  }

  /** The HTTPS port, or -1 when HTTPS is off. */
  public int httpsPort() {
    return httpsPort;
  }

  /** The forward proxy's port, or -1 when it is off. */
  public int proxyPort() {
    return proxyPort;
  }

  /** The certificates served over TLS, or null when neither HTTPS nor the proxy is on. */
  public ServerCertificates certificates() {
    return parts.certificates;
  }

  public int port() {
    return port;
  }

  public String baseUrl() {
    return "http://" + parts.config.server().host() + ":" + port;
  }

  /** Where video links point: {@code server.publicUrl}, or this server's own address. */
  public String publicUrl() {
    String configured = parts.config.server().publicUrl();
    return configured != null && !configured.isBlank()
        ? configured.replaceAll("/+$", "")
        : baseUrl();
  }

  /** Runs the expiry sweep now (it also runs on a timer); returns the objects removed. */
  public long sweepExpiredMedia() {
    return await(parts.sweeper.sweepNow());
  }

  /** Every pattern the server serves, WeChat and operator rows alike, to what answers it. */
  public Map<String, Endpoint> routes() {
    return routes;
  }

  public ServerClock clock() {
    return parts.clock;
  }

  /** The dev-mode fault rules of this instance. */
  public FaultRules faults() {
    return parts.faults;
  }

  public RequestLog requests() {
    return parts.requests;
  }

  public AppRegistry apps() {
    return parts.apps;
  }

  public TokenService tokens() {
    return parts.tokens;
  }

  public StateStore state() {
    return parts.state;
  }

  public MediaService media() {
    return parts.media;
  }

  public TempmediaConfig config() {
    return parts.config;
  }

  @Override
  public void close() {
    try {
      await(parts.vertx.close());
    } catch (RuntimeException e) {
      // Closing is best effort: the state below must still be closed.
    } finally {
      parts.close();
    }
  }

  /** Waits for a start or stop step; a failure becomes an IllegalStateException with its cause (the bind retry reads it). */
  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable cause = e.getCause();
      throw new IllegalStateException(cause.getMessage(), cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting", e);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("the server did not start within 30 s", e);
    }
  }
}
