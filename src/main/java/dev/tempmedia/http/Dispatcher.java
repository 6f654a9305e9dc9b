package dev.tempmedia.http;

import dev.tempmedia.clock.ServerClock;
import dev.tempmedia.wechat.ErrorCode;
import dev.tempmedia.wechat.RequestId;
import dev.tempmedia.wechat.WeChatException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;

/**
 * Every request enters here: it gets an id, finds its route, passes the injected faults (dev mode),
 * and whatever the route returns or throws is written by the route's error writer. Observers (access
 * log, inspector, metrics) hear about it as its answer goes out and when the response ends.
 */
public final class Dispatcher implements Handler<HttpServerRequest> {
  private final RouteTable wechat;
  private final Handler<HttpServerRequest> operator;
  private final ServerClock clock;
  private final List<ExchangeObserver> observers;
  private final FaultInjection faults;

  /**
   * @param wechat    the WeChat API routes
   * @param operator  the handler of the reserved {@code /_tempmedia/} namespace and {@code /metrics}
   * @param observers told about every finished exchange
   * @param faults    the fault injection of dev mode, or null (prod)
   */
  public Dispatcher(RouteTable wechat, Handler<HttpServerRequest> operator, ServerClock clock,
      List<ExchangeObserver> observers, FaultInjection faults) {
    this.wechat = wechat;
    this.operator = operator;
    this.clock = clock;
    this.observers = List.copyOf(observers);
    this.faults = faults;
  }

  @Override
  public void handle(HttpServerRequest request) {
    String path = request.path();
    RouteTable.Entry entry = wechat.find(path).orElse(null);
    if (entry == null && (path.startsWith("/_tempmedia/") || path.equals("/metrics"))) {
      operator.handle(request);
      return;
    }
    Exchange ex = begin(request);
    if (entry == null) {
      Responder.notFound(ex);
      return;
    }
    ex.endpoint(entry.name());
    ex.dialect(entry.dialect());
    if (!entry.methods().contains(request.method())) {
      if (entry.methods().contains(HttpMethod.POST)) {
        Responder.error(ex, new WeChatException(ErrorCode.REQUIRE_POST_METHOD,
            path + " takes POST; the request used " + request.method()));
      } else {
        Responder.notFound(ex);
      }
      return;
    }
    if (faults != null && faults.armed()) {
      faults.apply(ex, entry, () -> run(ex, entry.route(), entry.errors()), this::finish);
    } else {
      run(ex, entry.route(), entry.errors());
    }
  }

  /** An exchange for a request that arrived; its observers are told when its response ends. */
  public Exchange begin(HttpServerRequest request) {
    Exchange ex = new Exchange(request, RequestId.next(clock.epochSecond()), clock.millis());
    request.response().headersEndHandler(v -> answer(ex));
    request.response().endHandler(v -> finish(ex));
    return ex;
  }

  /** Runs a route and writes what it returns, or what it throws with {@code errors}. */
  public static void run(Exchange ex, Route route, RouteTable.ErrorWriter errors) {
    Future<Reply> reply;
    try {
      reply = route.handle(ex);
    } catch (Exception e) {
      reply = Future.failedFuture(e);
    }
    reply.onComplete(done -> {
      if (done.failed()) {
        errors.write(ex, done.cause());
      } else if (done.result() instanceof Reply.Json json) {
        Responder.json(ex, 200, json.body());
      }
    });
  }

  private void answer(Exchange ex) {
    if (ex.markAnswered()) {
      for (ExchangeObserver o : observers) {
        o.answered(ex);
      }
    }
  }

  private void finish(Exchange ex) {
    answer(ex); // a dropped connection was never answered
    if (ex.markFinished()) {
      for (ExchangeObserver o : observers) {
        o.finished(ex);
      }
    }
  }
}
