package dev.tempmedia.http;

import dev.tempmedia.clock.ServerClock;
import dev.tempmedia.wechat.RequestId;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;

/**
 * Starts {@link Exchange}s and tells their observers (access log, inspector, metrics) as each answer
 * goes out and when its response ends. Shared by the dispatcher and the operator routes that act on an
 * app's behalf (the console's upload and download), so that both are observed alike.
 */
public final class Exchanges {
  private final ServerClock clock;
  private final List<ExchangeObserver> observers;

  public Exchanges(ServerClock clock, List<ExchangeObserver> observers) {
    this.clock = clock;
    this.observers = List.copyOf(observers);
  }

  /** An exchange for a request that arrived; its observers are told when its response ends. */
  public Exchange begin(HttpServerRequest request) {
    Exchange ex = new Exchange(request, RequestId.next(clock.epochSecond()), clock.millis());
    request.response().headersEndHandler(v -> answer(ex));
    request.response().endHandler(v -> finish(ex));
    return ex;
  }

  /** Runs a route and writes what it returns, or what it throws with {@code errors}. */
  public static void run(Exchange ex, Route route, WeChatRoute.ErrorWriter errors) {
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

  /** The exchange is over: its response ended, or its connection was dropped on purpose. */
  void finish(Exchange ex) {
    answer(ex); // a dropped connection was never answered
    if (ex.markFinished()) {
      for (ExchangeObserver o : observers) {
        o.finished(ex);
      }
    }
  }
}
