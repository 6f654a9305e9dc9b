package dev.tempmedia.admin;

import dev.tempmedia.admin.OperatorRoutes.Access;
import dev.tempmedia.admin.OperatorRoutes.JsonAction;
import dev.tempmedia.admin.OperatorRoutes.RawAction;
import dev.tempmedia.http.WeChatRoute;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

/**
 * One row of {@link OperatorApi#routes}: what a method and path pattern do in the operator namespace.
 * Most rows are JSON actions or raw actions behind the admin token; two kinds are not operator calls
 * at all but live under the namespace: static pages (the console) and WeChat-style routes (the signed
 * video links, observed and answered like the API).
 */
public sealed interface OperatorRoute {
  String pattern();

  /** A JSON action: the body is read (64 KiB at most) and the action runs on a worker thread. */
  record Json(HttpMethod method, String pattern, Access access, JsonAction action)
      implements OperatorRoute {}

  /** An action that writes its own response on the event loop (streams, uploads). */
  record Raw(HttpMethod method, String pattern, Access access, RawAction action)
      implements OperatorRoute {}

  /** Static pages, any method (the handler answers methods and names itself); open to all. */
  record Pages(String pattern, Handler<HttpServerRequest> handler) implements OperatorRoute {}

  /** A WeChat-style route under the namespace, run and observed by the dispatcher like the API. */
  record Exchange(String pattern, WeChatRoute route) implements OperatorRoute {}

  static OperatorRoute json(HttpMethod method, String pattern, Access access, JsonAction action) {
    return new Json(method, pattern, access, action);
  }

  static OperatorRoute raw(HttpMethod method, String pattern, Access access, RawAction action) {
    return new Raw(method, pattern, access, action);
  }
}
