package dev.tempmedia.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.vertx.core.http.HttpServerRequest;
import java.util.Map;

/** One call of an operator route: the request, the values of its path's {placeholders}, its JSON body. */
public final class AdminCall {
  private final HttpServerRequest request;
  private final Map<String, String> pathParams;
  private JsonNode body = MissingNode.getInstance();

  AdminCall(HttpServerRequest request, Map<String, String> pathParams) {
    this.request = request;
    this.pathParams = pathParams;
  }

  public HttpServerRequest request() {
    return request;
  }

  public String path(String name) {
    return pathParams.get(name);
  }

  /** A query parameter, null when absent or empty. */
  public String query(String name) {
    String v;
    try {
      v = request.getParam(name);
    } catch (IllegalArgumentException e) {
      throw AdminError.badRequest("the query string is not valid percent-encoding");
    }
    return v == null || v.isEmpty() ? null : v;
  }

  /** A query parameter that must be there. */
  public String requiredQuery(String name) {
    String v = query(name);
    if (v == null) {
      throw AdminError.badRequest("the " + name + " query parameter is required");
    }
    return v;
  }

  /** The JSON body (a missing node when there was none). */
  public JsonNode body() {
    return body;
  }

  void body(JsonNode body) {
    this.body = body;
  }
}
