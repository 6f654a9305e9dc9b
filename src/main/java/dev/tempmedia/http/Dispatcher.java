package dev.tempmedia.http;

import dev.tempmedia.clock.ServerClock;
import dev.tempmedia.wechat.ErrorCode;
import dev.tempmedia.wechat.RequestId;
import dev.tempmedia.wechat.WeChatException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

/**
 * Every request enters here: it gets an id, finds its route, and whatever the route returns or
 * throws is written by {@link Responder}. The access log line is written when the response ends.
 */
public final class Dispatcher implements Handler<HttpServerRequest> {
  private final RouteTable wechat;
  private final Handler<HttpServerRequest> operator;
  private final ServerClock clock;

  /**
   * @param wechat   the WeChat API routes
   * @param operator the handler of the reserved {@code /_tempmedia/} namespace and {@code /metrics}
   */
  public Dispatcher(RouteTable wechat, Handler<HttpServerRequest> operator, ServerClock clock) {
    this.wechat = wechat;
    this.operator = operator;
    this.clock = clock;
  }

  @Override
  public void handle(HttpServerRequest request) {
    String path = request.path();
    RouteTable.Entry entry = wechat.find(path).orElse(null);
    if (entry == null && (path.startsWith("/_tempmedia/") || path.equals("/metrics"))) {
      operator.handle(request);
      return;
    }
    Exchange ex = new Exchange(request, RequestId.next(clock.epochSecond()));
    request.response().endHandler(v -> AccessLog.write(ex));
    if (entry == null) {
      Responder.notFound(ex);
      return;
    }
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
    Future<Reply> reply;
    try {
      reply = entry.route().handle(ex);
    } catch (Exception e) {
      reply = Future.failedFuture(e);
    }
    reply.onComplete(done -> {
      if (done.failed()) {
        Responder.error(ex, done.cause());
      } else if (done.result() instanceof Reply.Json json) {
        Responder.json(ex, 200, json.body());
      }
    });
  }
}
