package dev.tempmedia.admin;

import io.vertx.core.Vertx;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code health} (open, for load balancers) and {@code info} (what this server is). */
public final class HealthRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(HealthRoutes.class);

  private final Vertx vertx;
  private final HealthCheck storage;
  private final HealthCheck state;
  private final Map<String, Object> info;

  /** @param info the fixed facts {@code GET /_tempmedia/info} answers (mode, version, backends) */
  public HealthRoutes(
      Vertx vertx, HealthCheck storage, HealthCheck state, Map<String, Object> info) {
    this.vertx = vertx;
    this.storage = storage;
    this.state = state;
    this.info =
        java.util.Collections.unmodifiableMap(new LinkedHashMap<>(info)); // in the order given
  }

  /** 200 when storage and state both answer, 503 otherwise; the checks may block, so they run on a worker. */
  void health(AdminCall call) {
    vertx
        .executeBlocking(
            () -> {
              Map<String, Object> body = new LinkedHashMap<>();
              String storageStatus = probe("storage", storage);
              String stateStatus = probe("state", state);
              boolean up = storageStatus.equals("ok") && stateStatus.equals("ok");
              body.put("status", up ? "ok" : "down");
              body.put("storage", storageStatus);
              body.put("state", stateStatus);
              return body;
            },
            false)
        .onComplete(done -> {
          Map<String, Object> body = done.succeeded() ? done.result() : Map.of("status", "down");
          OperatorRoutes.write(call.request(), "ok".equals(body.get("status")) ? 200 : 503, body);
        });
  }

  Map<String, Object> info(AdminCall call) {
    return info;
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
}
