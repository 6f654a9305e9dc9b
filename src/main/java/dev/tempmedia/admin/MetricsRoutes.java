package dev.tempmedia.admin;

import dev.tempmedia.metrics.ServerMetrics;
import dev.tempmedia.storage.BlobStore;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /metrics} in Prometheus' text format. The storage gauges come from the store's
 * {@code usage()}, asked again only when something was stored or purged here since, or when the last
 * answer is older than {@link #USAGE_MAX_AGE_MILLIS}. The server's store answers from counts kept by
 * its uploads and walks itself only after a delete or every few minutes
 * ({@link dev.tempmedia.storage.CountingBlobStore}), so a busy server's scrapes do not list the
 * whole bucket each time.
 */
public final class MetricsRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(MetricsRoutes.class);
  static final long USAGE_MAX_AGE_MILLIS = 30_000;
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final Vertx vertx;
  private final ServerMetrics metrics;
  private final BlobStore blobs;
  private volatile long usageReadAt = Long.MIN_VALUE / 2;
  private volatile boolean storageChanged;

  public MetricsRoutes(Vertx vertx, ServerMetrics metrics, BlobStore blobs) {
    this.vertx = vertx;
    this.metrics = metrics;
    this.blobs = blobs;
  }

  void scrape(AdminCall call) {
    vertx
        .executeBlocking(
            () -> {
              refreshUsage();
              return metrics.scrape();
            },
            false)
        .onComplete(done -> {
          if (done.failed()) {
            OperatorRoutes.fail(call.request(), done.cause());
            return;
          }
          call.request()
              .response()
              .putHeader(HttpHeaders.CONTENT_TYPE, PROMETHEUS_TEXT)
              .end(Buffer.buffer(done.result()));
        });
  }

  /** Something was stored or deleted: the next scrape measures again. */
  public void storageChanged() {
    storageChanged = true;
  }

  /** Reads the store's size now (the sweeper calls this after each sweep too). */
  public void refreshUsageNow() {
    storageChanged = false;
    try {
      metrics.storageUsage(blobs.usage());
      usageReadAt = System.currentTimeMillis();
    } catch (Exception e) {
      LOG.warn("cannot measure the stored media: {}", e.toString());
    }
  }

  private void refreshUsage() {
    if (storageChanged || System.currentTimeMillis() - usageReadAt >= USAGE_MAX_AGE_MILLIS) {
      refreshUsageNow();
    }
  }
}
