package dev.tempmedia.http;

import io.vertx.core.http.HttpServerRequest;
import java.util.Map;

/**
 * What a path of the {@link PathTable} leads to: a WeChat route, run as an observed {@link Exchange}
 * by the {@link Dispatcher}, or an endpoint that answers the request itself (the operator namespace,
 * the console's files).
 */
public sealed interface Endpoint permits WeChatRoute, Endpoint.Direct {

  /** An endpoint that writes its own answer; {@code params} are the values of the pattern's placeholders. */
  non-sealed interface Direct extends Endpoint {
    void serve(HttpServerRequest request, Map<String, String> params);
  }
}
