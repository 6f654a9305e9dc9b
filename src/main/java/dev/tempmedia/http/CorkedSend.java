package dev.tempmedia.http;

import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollSocketChannel;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.function.Supplier;

/**
 * Sends a download's head and file in one TCP segment where it can, as nginx's {@code tcp_nopush}
 * does: the socket is corked (Linux {@code TCP_CORK}) while Vert.x writes the head and hands the file
 * to {@code sendfile}, and uncorked when the body is out, which pushes the last partial segment at
 * once. Without it the head left in a packet of its own before the file's first bytes. Corking is per
 * response, never for the whole connection, so JSON answers on the same connection are not held
 * back. Only a plain HTTP/1.x connection on the native transport is corked; anything else is sent as
 * it would be without this class.
 *
 * <p>This reaches below Vert.x's public API (its connection's Netty channel), the one place that
 * does; should Vert.x change that class, downloads are simply not corked.
 */
final class CorkedSend {
  private CorkedSend() {}

  static Future<Void> send(HttpServerRequest request, Supplier<Future<Void>> send) {
    Channel channel = epollChannel(request);
    if (channel == null) {
      return send.get();
    }
    channel.config().setOption(EpollChannelOption.TCP_CORK, true);
    return send.get().andThen(done -> {
      if (channel.isOpen()) {
        channel.config().setOption(EpollChannelOption.TCP_CORK, false);
      }
    });
  }

  private static Channel epollChannel(HttpServerRequest request) {
    try {
      if (request.connection() instanceof ConnectionBase connection
          && connection.channel() instanceof EpollSocketChannel channel) {
        return channel;
      }
    } catch (LinkageError vertxChanged) {
      // Not corked: see the class comment.
    }
    return null;
  }
}
