package dev.tempmedia.http;

import dev.tempmedia.storage.Blob;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Copies a remote object's bytes (an S3 GET) to the response from a worker thread, which may block on
 * the store's stream; when the connection's write queue is full it waits for the drain, so a slow
 * client holds back the read instead of filling memory.
 */
final class StreamPump {
  private static final int CHUNK = 64 * 1024;
  private static final long DRAIN_TIMEOUT_SECONDS = 60;

  private StreamPump() {}

  static Future<Void> copy(HttpServerRequest request, Blob blob, long offset, long length) {
    HttpServerResponse response = request.response();
    Context context = Vertx.currentContext();
    Promise<Void> done = Promise.promise();
    context
        .owner()
        .executeBlocking(
            () -> {
              try (InputStream in = blob.openRange(offset, length)) {
                byte[] chunk = new byte[CHUNK];
                long left = length;
                while (left > 0) {
                  int n = in.read(chunk, 0, (int) Math.min(chunk.length, left));
                  if (n < 0) {
                    throw new IOException("the store's stream ended " + left + " bytes early");
                  }
                  left -= n;
                  Buffer piece = Buffer.buffer(n).appendBytes(chunk, 0, n);
                  awaitRoom(context, response);
                  if (response.closed()) {
                    throw new IOException("the client went away");
                  }
                  context.runOnContext(v -> response.write(piece));
                }
              }
              return null;
            },
            false)
        .onComplete(result -> {
          if (result.succeeded()) {
            response.end().onComplete(done);
          } else {
            // The head is already on the wire: all that is left is to break the connection.
            if (!response.closed()) {
              response.reset();
            }
            done.tryFail(result.cause());
          }
        });
    return done.future();
  }

  /** Blocks the worker while the response's write queue is full. */
  private static void awaitRoom(Context context, HttpServerResponse response) throws Exception {
    CompletableFuture<Void> room = new CompletableFuture<>();
    context.runOnContext(v -> {
      if (!response.writeQueueFull() || response.closed()) {
        room.complete(null);
      } else {
        response.drainHandler(d -> room.complete(null));
        response.closeHandler(c -> room.complete(null));
      }
    });
    try {
      room.get(DRAIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new IOException("the client read nothing for " + DRAIN_TIMEOUT_SECONDS + " s");
    }
  }
}
