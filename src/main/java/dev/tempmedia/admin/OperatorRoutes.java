package dev.tempmedia.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tempmedia.http.Bodies;
import dev.tempmedia.http.Endpoint;
import dev.tempmedia.http.PathTable;
import dev.tempmedia.io.Json;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the rows of {@link OperatorApi}: the reserved {@code /_tempmedia/} namespace and
 * {@code /metrics}, plain JSON for operators, tests and the console. This class answers wrong methods,
 * checks the admin token, reads JSON bodies and writes answers, so that no route group repeats any of it.
 *
 * <p>JSON actions run on a worker thread: most of them touch Redis or walk storage.
 */
public final class OperatorRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorRoutes.class);
  static final ObjectMapper JSON = Json.MAPPER;
  private static final int MAX_JSON_BODY = 64 * 1024;

  /** Who may call a route: anyone, or (when the server has an admin token) only its bearer. */
  public enum Access {
    OPEN,
    ADMIN
  }

  /**
   * A route that answers JSON; it returns the body (or an {@link Answer}, or a
   * {@link java.util.concurrent.CompletionStage} of either when it must wait) and throws
   * {@link AdminError}.
   */
  @FunctionalInterface
  public interface JsonAction {
    Object handle(AdminCall call) throws Exception;
  }

  /** A route that writes its own response on the event loop (streams, pages). */
  @FunctionalInterface
  public interface RawAction {
    void handle(AdminCall call);
  }

  /** A JSON answer with a status other than 200. */
  public record Answer(int status, Object body) {}

  private final Vertx vertx;
  private final byte[] adminToken;

  /** @param adminToken the token every {@link Access#ADMIN} route requires, or null to leave them open (dev) */
  public OperatorRoutes(Vertx vertx, String adminToken) {
    this.vertx = vertx;
    this.adminToken = adminToken == null ? null : adminToken.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The endpoints of {@code routes} by path pattern, for the server's one {@link PathTable}: the
   * methods of one pattern are served by one endpoint, which answers 405 with {@code Allow} for any
   * other method; every other path under the namespace answers an empty 404.
   */
  public Map<String, Endpoint> endpoints(List<OperatorRoute> routes) {
    Map<String, Map<HttpMethod, OperatorRoute>> byPattern = new LinkedHashMap<>();
    Map<String, Endpoint> endpoints = new LinkedHashMap<>();
    for (OperatorRoute route : routes) {
      if (route instanceof OperatorRoute.Pages pages) {
        endpoints.put(pages.pattern(), (Endpoint.Direct)
            (request, params) -> pages.handler().handle(request));
      } else if (route instanceof OperatorRoute.Exchange exchange) {
        endpoints.put(exchange.pattern(), exchange.route());
      } else {
        HttpMethod method = route instanceof OperatorRoute.Json j
            ? j.method()
            : ((OperatorRoute.Raw) route).method();
        if (byPattern
                .computeIfAbsent(route.pattern(), p -> new LinkedHashMap<>())
                .put(method, route)
            != null) {
          throw new IllegalArgumentException("two routes for " + method + " " + route.pattern());
        }
      }
    }
    byPattern.forEach((pattern, methods) -> endpoints.put(
        pattern, (Endpoint.Direct) (request, params) -> serve(request, params, methods)));
    endpoints.putIfAbsent(
        OperatorApi.NAMESPACE + "**", (Endpoint.Direct) (request, params) -> request
            .response()
            .setStatusCode(404)
            .putHeader(HttpHeaders.CONTENT_LENGTH, "0")
            .end());
    return endpoints;
  }

  private void serve(
      HttpServerRequest request,
      Map<String, String> params,
      Map<HttpMethod, OperatorRoute> methods) {
    OperatorRoute route = methods.get(request.method());
    if (route == null && request.method() == HttpMethod.HEAD) {
      route = methods.get(HttpMethod.GET);
    }
    if (route == null) {
      request
          .response()
          .putHeader(
              HttpHeaders.ALLOW,
              methods.keySet().stream().map(HttpMethod::name).collect(Collectors.joining(", ")));
      error(
          request,
          405,
          request.path() + " takes " + methods.keySet() + ", not " + request.method());
      return;
    }
    Access access =
        route instanceof OperatorRoute.Json j ? j.access() : ((OperatorRoute.Raw) route).access();
    if (access == Access.ADMIN && !authorized(request)) {
      request.response().putHeader("WWW-Authenticate", "Bearer realm=\"tempmedia\"");
      error(request, 401, "this route needs the header Authorization: Bearer <admin.token>");
      return;
    }
    AdminCall call = new AdminCall(request, params);
    if (route instanceof OperatorRoute.Raw raw) {
      raw.action().handle(call);
    } else {
      runJson(((OperatorRoute.Json) route).action(), call);
    }
  }

  private boolean authorized(HttpServerRequest request) {
    if (adminToken == null) {
      return true;
    }
    String header = request.getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    return MessageDigest.isEqual(
        adminToken, header.substring(7).trim().getBytes(StandardCharsets.UTF_8));
  }

  private void runJson(JsonAction action, AdminCall call) {
    HttpServerRequest request = call.request();
    if (Bodies.declaredLength(request) > MAX_JSON_BODY) {
      // Refused unread: the answer goes first, then the rest is not wanted. HTTP/1.1 closes the
      // connection; on HTTP/2 ending the answer ends the stream (Vert.x resets what is still being
      // sent), and closing the connection would send a GOAWAY that can overtake the answer.
      boolean http2 = request.version() == HttpVersion.HTTP_2;
      if (!http2) {
        request.response().putHeader(HttpHeaders.CONNECTION, "close");
      }
      error(request, 413, "the JSON body is over " + MAX_JSON_BODY + " bytes").onComplete(v -> {
        if (!http2) {
          request.connection().close();
        }
      });
      return;
    }
    request.body().onComplete(read -> {
      if (read.failed()) {
        error(
            request, 400, "the request body could not be read: " + read.cause().getMessage());
        return;
      }
      Buffer body = read.result();
      if (body.length() > MAX_JSON_BODY) {
        error(request, 413, "the JSON body is over " + MAX_JSON_BODY + " bytes");
        return;
      }
      if (body.length() > 0) {
        try {
          call.body(JSON.readTree(body.getBytes()));
        } catch (java.io.IOException e) {
          error(request, 400, "the body is not JSON: " + e.getMessage());
          return;
        }
      }
      vertx
          .executeBlocking(() -> action.handle(call), false)
          // An action that waits (a long poll) answers a stage instead of holding the worker.
          .compose(this::settled)
          .onComplete(done -> {
            if (done.succeeded()) {
              Object result = done.result();
              if (result instanceof Answer a) {
                write(request, a.status(), a.body());
              } else {
                write(request, 200, result);
              }
            } else {
              fail(request, unwrapped(done.cause()));
            }
          });
    });
  }

  /** An action's result; one that waits (a long poll) answers a stage instead of holding the worker. */
  @SuppressWarnings("unchecked")
  private Future<Object> settled(Object result) {
    if (result instanceof java.util.concurrent.CompletionStage<?> stage) {
      return Future.fromCompletionStage(
          (java.util.concurrent.CompletionStage<Object>) stage, vertx.getOrCreateContext());
    }
    return Future.succeededFuture(result);
  }

  private static Throwable unwrapped(Throwable e) {
    return e instanceof java.util.concurrent.CompletionException && e.getCause() != null
        ? e.getCause()
        : e;
  }

  /** Writes a failure of an operator route: its own status for refusals, 500 for anything unexpected. */
  static void fail(HttpServerRequest request, Throwable failure) {
    if (failure instanceof AdminError e) {
      error(request, e.status(), e.getMessage());
    } else if (failure instanceof IllegalArgumentException e) {
      error(request, 400, e.getMessage());
    } else {
      LOG.error("operator route {} {} failed", request.method(), request.path(), failure);
      error(request, 500, "internal failure: " + failure);
    }
  }

  static Future<Void> error(HttpServerRequest request, int status, String message) {
    return write(request, status, Map.of("error", message));
  }

  /** Writes a JSON answer; the future completes when it has been written. */
  static Future<Void> write(HttpServerRequest request, int status, Object body) {
    if (request.response().ended() || request.response().closed()) {
      return Future.succeededFuture();
    }
    try {
      byte[] bytes = JSON.writeValueAsBytes(body);
      return request
          .response()
          .setStatusCode(status)
          .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
          .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
          .end(Buffer.buffer(bytes));
    } catch (JsonProcessingException e) {
      return request.response().setStatusCode(500).end();
    }
  }
}
