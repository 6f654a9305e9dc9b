package dev.tempmedia.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The reserved {@code /_tempmedia/} namespace: plain JSON for operators and tests. */
public final class OperatorRoutes implements Handler<HttpServerRequest> {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorRoutes.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Vertx vertx;
  private final HealthCheck storage;
  private final HealthCheck state;
  private final dev.tempmedia.admin.console.ConsolePages console = new dev.tempmedia.admin.console.ConsolePages();

  public OperatorRoutes(Vertx vertx, HealthCheck storage, HealthCheck state) {
    this.vertx = vertx;
    this.storage = storage;
    this.state = state;
  }

  @Override
  public void handle(HttpServerRequest request) {
    String path = request.path();
    if (path.equals("/_tempmedia/console") || path.startsWith("/_tempmedia/console/")) {
      console.handle(request);
      return;
    }
    if (request.method() == HttpMethod.GET && request.path().equals("/_tempmedia/health")) {
      health(request);
      return;
    }
    request.response().setStatusCode(404).putHeader(HttpHeaders.CONTENT_LENGTH, "0").end();
  }

  /** 200 when storage and state both answer, 503 otherwise; the checks may block, so they run on a worker. */
  private void health(HttpServerRequest request) {
    vertx.executeBlocking(() -> {
      Map<String, Object> body = new LinkedHashMap<>();
      String storageStatus = probe("storage", storage);
      String stateStatus = probe("state", state);
      boolean up = storageStatus.equals("ok") && stateStatus.equals("ok");
      body.put("status", up ? "ok" : "down");
      body.put("storage", storageStatus);
      body.put("state", stateStatus);
      return body;
    }, false).onComplete(done -> {
      Map<String, Object> body = done.succeeded() ? done.result() : Map.of("status", "down");
      write(request, "ok".equals(body.get("status")) ? 200 : 503, body);
    });
  }

  private static String probe(String name, HealthCheck check) {
    try {
      check.check();
      return "ok";
    } catch (Exception e) {
      LOG.warn("health: {} is down: {}", name, e.toString());
      return "down";
    }
  }

  static void write(HttpServerRequest request, int status, Object body) {
    try {
      byte[] bytes = JSON.writeValueAsBytes(body);
      request.response().setStatusCode(status)
          .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
          .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
          .end(Buffer.buffer(bytes));
    } catch (JsonProcessingException e) {
      request.response().setStatusCode(500).end();
    }
  }
}
