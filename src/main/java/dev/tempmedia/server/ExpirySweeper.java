package dev.tempmedia.server;

import dev.tempmedia.media.MediaService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes expired media in the background: at start and then every few minutes, whole hour
 * partitions at a time. Reads never depend on it (every download checks expiry from the media_id);
 * it only gives the disk back.
 */
final class ExpirySweeper {
  private static final Logger LOG = LoggerFactory.getLogger(ExpirySweeper.class);
  static final long PERIOD_MILLIS = 5 * 60 * 1000;

  private final Vertx vertx;
  private final MediaService media;
  private final AtomicBoolean running = new AtomicBoolean();
  private final LongConsumer afterSweep;

  /** @param afterSweep told, on the sweeping worker, how many objects each sweep removed */
  ExpirySweeper(Vertx vertx, MediaService media, LongConsumer afterSweep) {
    this.vertx = vertx;
    this.media = media;
    this.afterSweep = afterSweep;
  }

  void start() {
    sweepNow();
    vertx.setPeriodic(PERIOD_MILLIS, id -> sweepNow());
  }

  /** One sweep on a worker; a sweep still running makes this one a no-op answering 0. */
  Future<Long> sweepNow() {
    if (!running.compareAndSet(false, true)) {
      return Future.succeededFuture(0L);
    }
    return vertx
        .executeBlocking(
            () -> {
              try {
                long removed = media.sweepExpired();
                if (removed > 0) {
                  LOG.info("expiry sweep removed {} expired media object(s)", removed);
                }
                afterSweep.accept(removed);
                return removed;
              } finally {
                running.set(false);
              }
            },
            false)
        .onFailure(e -> LOG.warn("expiry sweep failed: {}", e.toString()));
  }
}
