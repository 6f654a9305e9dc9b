package dev.tempmedia.server;

import dev.tempmedia.admin.OperatorRoutes;
import dev.tempmedia.auth.AppRegistry;
import dev.tempmedia.auth.CredentialCheck;
import dev.tempmedia.auth.ServerKeys;
import dev.tempmedia.auth.TokenService;
import dev.tempmedia.clock.ServerClock;
import dev.tempmedia.config.TempmediaConfig;
import dev.tempmedia.http.Dispatcher;
import dev.tempmedia.http.RouteTable;
import dev.tempmedia.http.TokenRoutes;
import dev.tempmedia.state.StateStore;
import dev.tempmedia.state.local.LocalStateStore;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerOptions;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
  private int port;

  private TempmediaServer(TempmediaConfig config, ServerClock clock) {
    this.config = config;
    this.clock = clock;
    this.state = openState(config);
    try {
      ServerKeys keys = ServerKeys.resolve(config.security(), state);
      this.apps = AppRegistry.fromConfig(config);
      this.tokens = new TokenService(apps, state, keys, clock);
      this.vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(false));
    } catch (RuntimeException e) {
      state.close();
      throw e;
    }
  }

  /** Starts a server and returns once it is listening. */
  public static TempmediaServer start(TempmediaConfig config) {
    return start(config, ServerClock.system());
  }

  public static TempmediaServer start(TempmediaConfig config, ServerClock clock) {
    TempmediaServer server = new TempmediaServer(config, clock);
    try {
      server.listen();
      return server;
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  private static StateStore openState(TempmediaConfig config) {
    return LocalStateStore.open(Path.of(config.storage().path()).resolve("state"), config.storage().fsync());
  }

  private void listen() {
    RouteTable wechat = new RouteTable();
    new TokenRoutes(new CredentialCheck(apps), tokens).register(wechat);
    OperatorRoutes operator = new OperatorRoutes(vertx, () -> { }, state::check);
    Dispatcher dispatcher = new Dispatcher(wechat, operator, clock);

    HttpServerOptions options = new HttpServerOptions()
        .setHost(config.server().host())
        .setPort(config.server().port())
        .setCompressionSupported(false)
        .setDecompressionSupported(false);
    HttpVerticle first = new HttpVerticle(options, dispatcher);
    await(vertx.deployVerticle(first));
    port = first.actualPort();
    int others = Math.max(1, Runtime.getRuntime().availableProcessors()) - 1;
    if (others > 0) {
      HttpServerOptions samePort = new HttpServerOptions(options).setPort(port);
      await(vertx.deployVerticle(() -> new HttpVerticle(samePort, dispatcher), new DeploymentOptions().setInstances(others)));
    }
  }

  public int port() {
    return port;
  }

  public String baseUrl() {
    return "http://" + config.server().host() + ":" + port;
  }

  public ServerClock clock() {
    return clock;
  }

  public AppRegistry apps() {
    return apps;
  }

  public TokenService tokens() {
    return tokens;
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
      state.close();
    }
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause.getMessage(), cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting", e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("the server did not start within 30 s", e);
    }
  }
}
