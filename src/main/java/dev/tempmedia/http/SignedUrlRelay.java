package dev.tempmedia.http;

import dev.tempmedia.io.Origin;
import dev.tempmedia.tls.StoreTls;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.buffer.BufferInternal;
import java.io.IOException;
import java.net.URI;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.TrustManagerFactory;

/**
 * Relays a slice of a stored object from its signed URL (an S3 presigned GET) to a download's
 * response, on the event loop that serves the download: one ranged GET over a kept-alive connection
 * of {@link StoreConnections}, whose answer's bytes are written to the response as Netty read them,
 * without a copy, with backpressure (a slow client stops the reads from the store), and nothing
 * blocks a thread.
 *
 * <p>Written on Netty rather than with Vert.x's HTTP client, which copies every chunk it receives
 * into a new heap buffer, which Netty then copies again into a direct one to send: at 1 MiB the
 * heap buffers' allocation alone was 18 % of a relay's Java samples (docs/benchmarks.md, S3
 * mode). The SDK's blocking GET before that cost a worker per download. Only the configured
 * store's URLs come here, never a host a client named.
 */
final class SignedUrlRelay {
  private static final AttributeKey<SliceExchange> EXCHANGE =
      AttributeKey.valueOf(SignedUrlRelay.class, "exchange");
  /** How often a reused connection that turns out closed before answering is replaced. */
  private static final int STALE_RETRIES = 2;

  private final VertxInternal vertx;
  private final StoreConnections connections;

  SignedUrlRelay(Vertx vertx) {
    this(vertx, null);
  }

  /** @param trust whom an {@code https} store's certificate must be issued by; null for the JDK's */
  SignedUrlRelay(Vertx vertx, TrustManagerFactory trust) {
    this.vertx = (VertxInternal) vertx;
    this.connections = new StoreConnections(this.vertx, StoreTls.memoized(trust), new Reader());
  }

  /**
   * Sends bytes [offset, offset + length) of the object at {@code url} as the body of {@code
   * response}, whose status and headers are set, and ends it. Fails before anything is written when
   * the store does not answer the slice asked for, so the caller can still answer an error; a store
   * that breaks off later resets the download.
   */
  Future<Void> relay(URI url, long offset, long length, HttpServerResponse response) {
    // The caller's context: on the event loop that serves the download, whose pool the store
    // connection then comes from, so both sides of the relay run on one thread.
    ContextInternal context = vertx.getOrCreateContext();
    Promise<Void> done = context.promise();
    EventLoop loop = context.nettyEventLoop();
    SliceExchange exchange = new SliceExchange(
        loop, Origin.of(url), request(url, offset, length), length, response, done);
    if (loop.inEventLoop()) {
      exchange.start();
    } else {
      loop.execute(exchange::start);
    }
    return done.future();
  }

  /** The GET as the URL was signed: its raw path and query, its authority as the Host. */
  private static DefaultFullHttpRequest request(URI url, long offset, long length) {
    String target = url.getRawPath() + (url.getRawQuery() != null ? "?" + url.getRawQuery() : "");
    DefaultFullHttpRequest get = new DefaultFullHttpRequest(
        HttpVersion.HTTP_1_1, HttpMethod.GET, target, Unpooled.EMPTY_BUFFER);
    get.headers()
        .set(HttpHeaderNames.HOST, url.getRawAuthority())
        .set(HttpHeaderNames.RANGE, "bytes=" + offset + "-" + (offset + length - 1));
    return get;
  }

  /** One download's GET, from borrowing a connection to giving it back. */
  private final class SliceExchange {
    private final EventLoop loop;
    private final Origin origin;
    private final DefaultFullHttpRequest request;
    private final long length;
    private final HttpServerResponse response;
    private final Promise<Void> done;
    private Channel channel;
    private boolean reused;
    private int retries;
    /** The store's head was read and answers the slice: bytes may now be on their way to the client. */
    private boolean answering;

    private boolean keepAlive;
    private long relayed;
    private boolean finished;

    SliceExchange(
        EventLoop loop,
        Origin origin,
        DefaultFullHttpRequest request,
        long length,
        HttpServerResponse response,
        Promise<Void> done) {
      this.loop = loop;
      this.origin = origin;
      this.request = request;
      this.length = length;
      this.response = response;
      this.done = done;
    }

    void start() {
      connections.borrow(loop, origin, (lent, wasReused, failure) -> {
        if (failure != null) {
          finish(new IOException(
              "no connection to the store at " + origin.host() + ":" + origin.port() + ": "
                  + failure.getMessage(),
              failure));
        } else if (finished) {
          // The client left while this exchange waited for a connection.
          connections.giveBack(lent, origin, true);
        } else {
          send(lent, wasReused);
        }
      });
      response.closeHandler(closed -> {
        if (!finished) {
          finish(new IOException("the client closed the download"));
        }
      });
    }

    private void send(Channel lent, boolean wasReused) {
      channel = lent;
      reused = wasReused;
      channel.attr(EXCHANGE).set(this);
      channel.writeAndFlush(request.retainedDuplicate()).addListener(written -> {
        // Only if this exchange still holds the connection: its close may have been seen first,
        // and the exchange retried on another.
        if (!written.isSuccess() && channel == lent) {
          broken(written.cause());
        }
      });
    }

    void read(Object message) {
      if (finished) {
        ReferenceCountUtil.release(message);
        return;
      }
      if (message instanceof HttpResponse head) {
        head(head);
      }
      if (message instanceof HttpContent content) {
        body(content);
      }
    }

    private void head(HttpResponse head) {
      int status = head.status().code();
      String size = head.headers().get(HttpHeaderNames.CONTENT_LENGTH);
      if ((status != 206 && status != 200) || !Long.toString(length).equals(size)) {
        finish(new IOException(
            "the store answered " + status + " with " + size + " bytes for a GET of " + length
                + " bytes of " + origin.host() + request.uri().split("\\?")[0]));
        return;
      }
      answering = true;
      keepAlive = HttpUtil.isKeepAlive(head);
    }

    private void body(HttpContent content) {
      ByteBuf bytes = content.content();
      if (finished || !answering) {
        content.release();
        return;
      }
      boolean last = content instanceof LastHttpContent;
      if (bytes.isReadable()) {
        relayed += bytes.readableBytes();
        write(bytes);
        if (finished) {
          return;
        }
        if (response.writeQueueFull()) {
          Channel reading = channel;
          reading.config().setAutoRead(false);
          response.drainHandler(drained -> {
            if (reading.attr(EXCHANGE).get() == this) {
              reading.config().setAutoRead(true);
            }
          });
        }
      } else {
        content.release();
      }
      if (last) {
        if (relayed != length) {
          finish(new IOException("the store sent " + relayed + " of " + length + " bytes"));
          return;
        }
        Channel returned = release();
        returned.config().setAutoRead(true);
        connections.giveBack(returned, origin, keepAlive);
        finished = true;
        response.end().onComplete(done);
      }
    }

    /**
     * Vert.x sends a slice of the buffer that it cannot release, so the buffer is released here once
     * it is written (or the write failed).
     */
    private void write(ByteBuf bytes) {
      try {
        response.write(BufferInternal.buffer(bytes)).onComplete(written -> bytes.release());
      } catch (IllegalStateException ended) {
        bytes.release();
        finish(new IOException("the download ended before the store's answer", ended));
      }
    }

    /** The connection broke or stalled: retried when it was a reused one the store had closed. */
    void broken(Throwable cause) {
      if (finished || channel == null) {
        // Over, or already on its way to another connection: a second signal of the same break.
        return;
      }
      boolean staleBeforeAnswer = reused && !answering && retries < STALE_RETRIES;
      Channel broken = release();
      if (broken != null) {
        broken.close();
      }
      if (staleBeforeAnswer) {
        retries++;
        start();
        return;
      }
      finish(
          cause instanceof IOException
              ? cause
              : new IOException("the store's answer broke off", cause));
    }

    /** Ends this exchange with a failure: an error for the caller before any byte, a reset after. */
    private void finish(Throwable failure) {
      finished = true;
      Channel mine = release();
      if (mine != null) {
        mine.close();
      }
      if (response.headWritten()) {
        // Bytes are on the wire already: a broken download is the only honest signal left.
        response.reset();
      }
      done.tryFail(failure);
    }

    private Channel release() {
      Channel mine = channel;
      if (mine != null) {
        mine.attr(EXCHANGE).set(null);
        channel = null;
      }
      return mine;
    }
  }

  /** The end of every store connection's pipeline: hands what it reads to the connection's exchange. */
  @ChannelHandler.Sharable
  private static final class Reader extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
      SliceExchange exchange = ctx.channel().attr(EXCHANGE).get();
      if (exchange == null) {
        // Bytes on a connection no exchange holds: it cannot be trusted to be in step any more.
        ReferenceCountUtil.release(message);
        ctx.close();
        return;
      }
      exchange.read(message);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      SliceExchange exchange = ctx.channel().attr(EXCHANGE).get();
      if (exchange != null) {
        exchange.broken(new IOException("the store closed the connection"));
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      SliceExchange exchange = ctx.channel().attr(EXCHANGE).get();
      if (exchange != null) {
        exchange.broken(cause); // lets go of the connection and closes it
      }
      ctx.close();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
      if (event instanceof IdleStateEvent) {
        SliceExchange exchange = ctx.channel().attr(EXCHANGE).get();
        if (exchange != null) {
          // A stalled answer is not retried: the store took the GET and may still be slow.
          exchange.finish(new IOException(
              "the store sent nothing for " + StoreConnections.IDLE_SECONDS + " s",
              new TimeoutException()));
        }
        ctx.close();
        return;
      }
      ctx.fireUserEventTriggered(event);
    }
  }

  /** The TLS client context, made at the first {@code https} store: never for a plain one. */
}
