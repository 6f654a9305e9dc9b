package dev.tempmedia.server;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.ServerSSLOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * One event loop's HTTP servers, one per listener (the API port, and HTTPS, the proxy and its
 * tunnels' TLS when they are on); every instance binds the same ports and Vert.x shares them.
 * Started means bound.
 */
final class HttpVerticle extends VerticleBase {
  /** A listener: its options (port resolved, TLS or not) and what serves its requests. */
  record Listener(String name, HttpServerOptions options, Handler<HttpServerRequest> handler) {}

  private final List<Listener> listeners;
  private final List<HttpServer> servers = new ArrayList<>();

  HttpVerticle(List<Listener> listeners) {
    this.listeners = List.copyOf(listeners);
  }

  @Override
  public Future<?> start() {
    List<Future<HttpServer>> bound = new ArrayList<>();
    for (Listener listener : listeners) {
      HttpServer server =
          vertx.createHttpServer(listener.options()).requestHandler(listener.handler());
      servers.add(server);
      bound.add(server.listen());
    }
    return Future.all(bound);
  }

  /** The port the first listener (the API's) is bound to. */
  int actualPort() {
    return servers.get(0).actualPort();
  }

  /** Gives every TLS listener of this verticle a new certificate (a renewed leaf); the next handshakes use it. */
  Future<?> updateCertificate(ServerSSLOptions ssl) {
    List<Future<Boolean>> updated = new ArrayList<>();
    for (int i = 0; i < listeners.size(); i++) {
      if (listeners.get(i).options().isSsl()) {
        updated.add(servers.get(i).updateSSLOptions(ssl));
      }
    }
    return Future.all(updated);
  }
}
