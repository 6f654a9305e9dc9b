package dev.tempmedia.http;

import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.ByteBuffer;

/** Request body plumbing shared by the routes that read bodies. */
public final class Bodies {
  /** What a refused request may still send before its connection is closed. */
  static final long DRAIN_LIMIT = 32L * 1024 * 1024;

  private Bodies() {}

  /** The buffer's bytes as NIO views, without copying (a composite buffer gives several). */
  static ByteBuffer[] views(Buffer buffer) {
    ByteBuf buf = ((BufferInternal) buffer).getByteBuf();
    return buf.nioBufferCount() == 1 ? new ByteBuffer[] {buf.nioBuffer()} : buf.nioBuffers();
  }

  /** The Content-Length a request declares, or -1 when it declares none (chunked) or nonsense. */
  public static long declaredLength(HttpServerRequest request) {
    String value = request.getHeader("Content-Length");
    if (value == null) {
      return -1;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * After an early answer, reads and drops what the client is still sending, so it can read that
   * answer instead of meeting a reset; a client that goes on past {@link #DRAIN_LIMIT} is cut off.
   */
  static void discardRest(HttpServerRequest request) {
    if (request.isEnded()) {
      return;
    }
    long[] seen = {0};
    request.exceptionHandler(e -> {});
    request.endHandler(null);
    request.handler(chunk -> {
      seen[0] += chunk.length();
      if (seen[0] > DRAIN_LIMIT) {
        request.handler(null);
        request.connection().close();
      }
    });
    PromptPause.resumeForGood(request);
  }
}
