package dev.tempmedia.http;

import dev.tempmedia.wechat.ErrorCode;
import dev.tempmedia.wechat.WeChatException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

/**
 * Every request enters here and finds its endpoint in the one {@link PathTable}. A WeChat route gets
 * an {@link Exchange} (id, observers), its method checked, the injected faults of dev mode, and
 * whatever it returns or throws is written by the route's error writer. Any other endpoint (the
 * operator namespace, the console) answers the request itself. A path no table names answers WeChat's
 * empty 404, observed like a WeChat call.
 */
public final class Dispatcher implements Handler<HttpServerRequest> {
  private final PathTable<Endpoint> routes;
  private final Exchanges exchanges;
  private final FaultInjection faults;

  /**
   * @param routes    both surfaces' endpoints
   * @param exchanges starts and observes the exchanges of WeChat routes
   * @param faults    the fault injection of dev mode, or null (prod)
   */
  public Dispatcher(PathTable<Endpoint> routes, Exchanges exchanges, FaultInjection faults) {
    this.routes = routes;
    this.exchanges = exchanges;
    this.faults = faults;
  }

  /** What this dispatcher serves: every pattern of both tables. */
  public java.util.Map<String, Endpoint> routes() {
    return routes.entries();
  }

  @Override
  public void handle(HttpServerRequest request) {
    handle(request, Via.HTTP);
  }

  /** The handler of a listener that requests come in by {@code via} (HTTPS, the proxy). */
  public Handler<HttpServerRequest> via(Via via) {
    return request -> handle(request, via);
  }

  private void handle(HttpServerRequest request, Via via) {
    exchanges.stamp(request);
    PathTable.Match<Endpoint> found = routes.find(request.path()).orElse(null);
    if (found == null) {
      Exchange ex = exchanges.begin(request);
      ex.via(via);
      Responder.notFound(ex);
      return;
    }
    if (found.value() instanceof WeChatRoute route) {
      serve(request, found.pattern(), route, via);
    } else {
      ((Endpoint.Direct) found.value()).serve(request, found.params());
    }
  }

  private void serve(HttpServerRequest request, String endpoint, WeChatRoute route, Via via) {
    Exchange ex = exchanges.begin(request);
    ex.via(via);
    ex.endpoint(endpoint);
    ex.dialect(route.dialect());
    if (!route.methods().contains(request.method())) {
      if (route.methods().contains(HttpMethod.POST)) {
        Responder.error(
            ex,
            new WeChatException(
                ErrorCode.REQUIRE_POST_METHOD,
                request.path() + " takes POST; the request used " + request.method()));
      } else {
        Responder.notFound(ex);
      }
      return;
    }
    if (faults != null && faults.armed()) {
      faults.apply(
          ex, route, () -> Exchanges.run(ex, route.route(), route.errors()), exchanges::finish);
    } else {
      Exchanges.run(ex, route.route(), route.errors());
    }
  }
}
