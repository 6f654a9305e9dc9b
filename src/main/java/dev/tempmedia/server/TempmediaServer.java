package dev.tempmedia.server;

import dev.tempmedia.auth.AppRegistry;
import dev.tempmedia.auth.TokenService;
import dev.tempmedia.clock.ServerClock;
import dev.tempmedia.config.TempmediaConfig;
import dev.tempmedia.emulator.FaultRules;
import dev.tempmedia.http.Dispatcher;
import dev.tempmedia.http.Endpoint;
import dev.tempmedia.inspector.RequestLog;
import dev.tempmedia.media.MediaService;
import dev.tempmedia.state.StateStore;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerOptions;
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
    int configuredPort = parts.config.server().port();
    for (int attempt = 1; ; attempt++) {
      int chosen =
          configuredPort == 0 ? FreePort.find(parts.config.server().host()) : configuredPort;
      try {
        deploy(dispatcher, chosen);
        parts.sweeper.start();
        parts.startJobs();
        return;
      } catch (IllegalStateException e) {
        if (configuredPort != 0
            || attempt == 5
            || !(e.getCause() instanceof java.net.BindException)) {
          throw e;
        }
      }
    }
  }

  private void deploy(Dispatcher dispatcher, int chosenPort) {
    HttpServerOptions options = new HttpServerOptions()
        .setHost(parts.config.server().host())
        .setPort(chosenPort)
        .setCompressionSupported(false)
        .setDecompressionSupported(false)
        // Vert.x counts only whole messages (a request head, a body chunk) and writes as activity,
        // so
        // this also closes a connection that trickles a request head a byte at a time (slowloris).
        .setIdleTimeout(parts.config.server().idleTimeout())
        .setIdleTimeoutUnit(TimeUnit.SECONDS);
    List<HttpVerticle> verticles = new CopyOnWriteArrayList<>();
    int instances = Math.max(1, Runtime.getRuntime().availableProcessors());
    await(parts.vertx.deployVerticle(
        () -> {
          HttpVerticle verticle = new HttpVerticle(options, dispatcher);
          verticles.add(verticle);
          return verticle;
        },
        new DeploymentOptions().setInstances(instances)));
    port = verticles.get(0).actualPort();
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
