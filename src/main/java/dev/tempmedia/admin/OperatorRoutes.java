package dev.tempmedia.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tempmedia.http.Bodies;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reserved {@code /_tempmedia/} namespace and {@code /metrics}: plain JSON for operators, tests
 * and the console. Route groups register here; this class matches paths, checks the admin token,
 * reads JSON bodies and writes answers, so that no group repeats any of it.
 *
 * <p>JSON actions run on a worker thread: most of them touch Redis or walk storage.
 */
public final class OperatorRoutes implements Handler<HttpServerRequest> {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorRoutes.class);
  static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_JSON_BODY = 64 * 1024;

  /** Who may call a route: anyone, or (when the server has an admin token) only its bearer. */
  public enum Access { OPEN, ADMIN }

  /** A route that answers JSON; it returns the body (or an {@link Answer}) and throws {@link AdminError}. */
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

  private record Route(HttpMethod method, String[] pattern, Access access, JsonAction json, RawAction raw) {}

  private final Vertx vertx;
  private final byte[] adminToken;
  private final List<Route> routes = new ArrayList<>();
  private final Map<String, Handler<HttpServerRequest>> pages = new LinkedHashMap<>();

  /** @param adminToken the token every {@link Access#ADMIN} route requires, or null to leave them open (dev) */
  public OperatorRoutes(Vertx vertx, String adminToken) {
    this.vertx = vertx;
    this.adminToken = adminToken == null ? null : adminToken.getBytes(StandardCharsets.UTF_8);
  }

  public OperatorRoutes json(HttpMethod method, String pattern, Access access, JsonAction action) {
    routes.add(new Route(method, pattern.split("/"), access, action, null));
    return this;
  }

  public OperatorRoutes raw(HttpMethod method, String pattern, Access access, RawAction action) {
    routes.add(new Route(method, pattern.split("/"), access, null, action));
    return this;
  }

  /**
   * Static pages under {@code prefix} (the console): open to all, since a browser cannot send a bearer
   * header when it opens a page; the handler answers methods and names itself.
   */
  public OperatorRoutes pages(String prefix, Handler<HttpServerRequest> handler) {
    pages.put(prefix, handler);
    return this;
  }

  @Override
  public void handle(HttpServerRequest request) {
    String path = request.path();
    for (Map.Entry<String, Handler<HttpServerRequest>> p : pages.entrySet()) {
      if (path.equals(p.getKey()) || path.startsWith(p.getKey() + "/")) {
        p.getValue().handle(request);
        return;
      }
    }
    String[] segments = request.path().split("/");
    Set<HttpMethod> allowed = new LinkedHashSet<>();
    for (Route route : routes) {
      Map<String, String> params = match(route.pattern(), segments);
      if (params == null) {
        continue;
      }
      if (route.method() != request.method() && !(route.method() == HttpMethod.GET && request.method() == HttpMethod.HEAD)) {
        allowed.add(route.method());
        continue;
      }
      if (route.access() == Access.ADMIN && !authorized(request)) {
        request.response().putHeader("WWW-Authenticate", "Bearer realm=\"tempmedia\"");
        error(request, 401, "this route needs the header Authorization: Bearer <admin.token>");
        return;
      }
      AdminCall call = new AdminCall(request, params);
      if (route.raw() != null) {
        route.raw().handle(call);
      } else {
        runJson(route.json(), call);
      }
      return;
    }
    if (!allowed.isEmpty()) {
      request.response().putHeader(HttpHeaders.ALLOW,
          allowed.stream().map(HttpMethod::name).collect(Collectors.joining(", ")));
      error(request, 405, request.path() + " takes " + allowed + ", not " + request.method());
      return;
    }
    request.response().setStatusCode(404).putHeader(HttpHeaders.CONTENT_LENGTH, "0").end();
  }

  /** Null when the path does not fit the pattern; else the {placeholder} values (ids: no decoding needed). */
  private static Map<String, String> match(String[] pattern, String[] segments) {
    if (pattern.length != segments.length) {
      return null;
    }
    Map<String, String> params = null;
    for (int i = 0; i < pattern.length; i++) {
      String p = pattern[i];
      if (p.startsWith("{") && p.endsWith("}")) {
        if (segments[i].isEmpty()) {
          return null;
        }
        if (params == null) {
          params = new HashMap<>();
        }
        params.put(p.substring(1, p.length() - 1), segments[i]);
      } else if (!p.equals(segments[i])) {
        return null;
      }
    }
    return params == null ? Map.of() : params;
  }

  private boolean authorized(HttpServerRequest request) {
    if (adminToken == null) {
      return true;
    }
    String header = request.getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    return MessageDigest.isEqual(adminToken, header.substring(7).trim().getBytes(StandardCharsets.UTF_8));
  }

  private void runJson(JsonAction action, AdminCall call) {
    HttpServerRequest request = call.request();
    if (Bodies.declaredLength(request) > MAX_JSON_BODY) {
      // Refused unread: the answer goes first, then the connection closes (the body is not wanted).
      request.response().putHeader(HttpHeaders.CONNECTION, "close");
      error(request, 413, "the JSON body is over " + MAX_JSON_BODY + " bytes").onComplete(v -> request.connection().close());
      return;
    }
    request.body().onComplete(read -> {
      if (read.failed()) {
        error(request, 400, "the request body could not be read: " + read.cause().getMessage());
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
      vertx.executeBlocking(() -> action.handle(call), false).onComplete(done -> {
        if (done.succeeded()) {
          Object result = done.result();
          if (result instanceof Answer a) {
            write(request, a.status(), a.body());
          } else {
            write(request, 200, result);
          }
        } else {
          fail(request, done.cause());
        }
      });
    });
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
      return request.response().setStatusCode(status)
          .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
          .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
          .end(Buffer.buffer(bytes));
    } catch (JsonProcessingException e) {
      return request.response().setStatusCode(500).end();
    }
  }
}
