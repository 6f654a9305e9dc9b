package dev.tempmedia.http;

import dev.tempmedia.clock.ServerClock;
import dev.tempmedia.wechat.RequestId;
import dev.tempmedia.wechat.WeChatException;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;

/**
 * Starts {@link Exchange}s and tells their observers (access log, inspector, metrics) as each answer
 * goes out and when its response ends. Shared by the dispatcher and the operator routes that act on an
 * app's behalf (the console's upload and download), so that both are observed alike.
 *
 * <p>It owns the one hook that sees every answer's head just before it is written (Vert.x keeps one
 * headers-end handler per response): there every answer, whoever wrote it, gets its {@code Date}
 * header ({@link #stamp} for the answers that are not exchanges: operator routes, console files).
 */
public final class Exchanges {
  private final ServerClock clock;
  private final List<ExchangeObserver> observers;
  private final DateHeader date;

  public Exchanges(ServerClock clock, List<ExchangeObserver> observers) {
    this.clock = clock;
    this.observers = List.copyOf(observers);
    this.date = new DateHeader(clock);
  }

  /** Gives a request's answer its Date header, whatever writes it; {@link #begin} does it too. */
  public void stamp(HttpServerRequest request) {
    HttpServerResponse response = request.response();
    response.headersEndHandler(v -> date.stamp(response));
  }

  /** An exchange for a request that arrived; its observers are told when its response ends. */
  public Exchange begin(HttpServerRequest request) {
    Exchange ex = new Exchange(request, RequestId.next(clock.epochSecond()), clock.millis());
    HttpServerResponse response = request.response();
    // Replaces the stamp the dispatcher set: this handler stamps and observes.
    response.headersEndHandler(v -> {
      date.stamp(response);
      answer(ex);
    });
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
        io.vertx.core.http.HttpServerResponse response = ex.request().response();
        if ((response.ended() || response.closed()) && !(done.cause() instanceof WeChatException)) {
          // The transport failed once the answer was out or the client had gone: an HTTP/2 stream
          // reset after its last byte (a sendFile's future then fails with "Stream was closed"), a
          // client that hung up. Nothing is left to answer and nothing went wrong here.
          org.slf4j.LoggerFactory.getLogger(Exchanges.class)
              .debug("rid={} transport closed: {}", ex.id().rid(), done.cause().toString());
          return;
        }
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
