package dev.tempmedia.http;

import io.netty.channel.Channel;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.impl.VertxConnection;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Pauses an HTTP/1.x request body so that nothing more is read from its socket, not merely nothing
 * more handed to the route.
 *
 * <p>Why: {@link HttpServerRequest#pause()} alone stops the handler calls, but Vert.x goes on reading
 * the socket into the request's queue until 16 chunks wait there (a chunk is one socket read, up to
 * 64 KiB, copied onto the heap), then into the connection's queue of undecoded messages, each a
 * slice that keeps its socket read buffer of direct memory alive, until the read loop in progress
 * ends after up to 16 reads. That is about 1 MiB of heap and half a MiB of direct memory per paused
 * upload: with 100 S3 uploads waiting on the part budget, more memory than the parts themselves
 * (docs/benchmarks.md, S3 mode). Turning the channel's {@code autoRead} off as well ends the read
 * loop after the read in progress, so a paused body holds at most what that one read brought.
 *
 * <p>Vert.x turns {@code autoRead} off and on itself, for its own queues (a pipelined request
 * waiting behind a response). So a resume turns it back on only if Vert.x, too, wants the
 * connection read: that is its connection's private {@code autoRead} flag, read here by a
 * {@link VarHandle}. This is the one thing here below Vert.x's public API (with {@link
 * CorkedSend}'s channel): should a Vert.x version lack that flag, every pause is a plain {@code
 * pause()}, as before. HTTP/2 is never touched: its streams share the socket, and a stream's pause
 * is bounded by its flow-control window.
 *
 * <p>On the request's event loop only, like the handler that pauses it.
 */
final class PromptPause {
  /** Vert.x's own wish for {@code autoRead} on a connection; null when this Vert.x lacks it. */
  private static final VarHandle VERTX_AUTO_READ = vertxAutoRead();

  private final HttpServerRequest request;
  private final VertxConnection connection;
  private boolean paused;

  PromptPause(HttpServerRequest request) {
    this.request = request;
    this.connection = VERTX_AUTO_READ != null
            && request.version() != HttpVersion.HTTP_2
            && request.connection() instanceof VertxConnection c
        ? c
        : null;
  }

  /** True when pauses stop the socket's reads too (HTTP/1.x on a Vert.x with the flag). */
  boolean stopsReads() {
    return connection != null;
  }

  void pause() {
    paused = true;
    request.pause();
    if (connection != null) {
      connection.channel().config().setAutoRead(false);
    }
  }

  /**
   * Hands the route what Vert.x holds, then reads on unless the route paused again meanwhile or
   * Vert.x holds the connection for its own reasons.
   */
  void resume() {
    paused = false;
    request.resume();
    readOn(() -> !paused);
  }

  /**
   * Resumes {@code request} for good, whoever paused it: what must follow a pause when the route
   * stops caring for the body (an answer given before its end, whose rest is read and dropped); a
   * plain {@code resume()} would leave a prompt pause's socket unread.
   */
  static void resumeForGood(HttpServerRequest request) {
    PromptPause any = new PromptPause(request);
    request.resume();
    any.readOn(() -> true);
  }

  /**
   * Turns {@code autoRead} back on if {@code stillWanted} and Vert.x wants it too. Vert.x hands the
   * held chunks over in a task of the event loop, so the check is a task queued behind it.
   */
  private void readOn(java.util.function.BooleanSupplier stillWanted) {
    if (connection == null) {
      return;
    }
    Channel channel = connection.channel();
    channel.eventLoop().execute(() -> {
      if (stillWanted.getAsBoolean()
          && !channel.config().isAutoRead()
          && (boolean) VERTX_AUTO_READ.get(connection)) {
        channel.config().setAutoRead(true);
      }
    });
  }

  private static VarHandle vertxAutoRead() {
    try {
      return MethodHandles.privateLookupIn(VertxConnection.class, MethodHandles.lookup())
          .findVarHandle(VertxConnection.class, "autoRead", boolean.class);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError vertxChanged) {
      return null;
    }
  }
}
