package dev.tempmedia.storage.s3;

import dev.tempmedia.io.Origin;
import dev.tempmedia.tls.StoreTls;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.resolver.NoopAddressResolverGroup;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import javax.net.ssl.TrustManagerFactory;

/**
 * The HTTP exchanges of the presigned PUTs ({@link PresignedPut}): kept-alive connections to the
 * store, all on one Netty event loop of the store's own, which writes each request and reads its
 * answer while the worker that asked waits (an upload's commit is blocking by design).
 *
 * <p>Why not the JDK's {@code HttpURLConnection}, which sent them before: its per-request work
 * (the URL's parsing, its header maps, the keep-alive cache's bookkeeping, the answer's header
 * parsing) was as much of the workers' time as the signing itself (docs/benchmarks.md, S3 mode);
 * Netty's codec writes the signed head and the body in one flush and parses the short answer.
 *
 * <p>Bounds: a connection is in use by one waiting caller at a time, and the callers are the fixed
 * pools of workers that commit uploads, so the number open follows them; at most {@link
 * #MAX_IDLE_PER_ORIGIN} are kept idle per origin, and a connection with nothing read or written for
 * the idle timeout is closed, idle or waiting on an answer (a store that stalls fails the PUT, as
 * the JDK client's read timeout did). Names are resolved on the calling worker, never on the loop;
 * only the configured store's URLs come here.
 */
final class PutConnections implements AutoCloseable {
  static final int MAX_IDLE_PER_ORIGIN = 64;
  static final Duration IDLE_TIMEOUT = Duration.ofSeconds(60);
  private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
  /** Of an answer's body, only an error's XML is read: its code and message are near the start. */
  private static final int MAX_BODY_KEPT = 4096;

  /** The store's answer: its status, its {@code ETag}, and the start of its body. */
  record Answer(int status, String etag, String body) {}

  private final EventLoopGroup loop;
  private final Class<? extends SocketChannel> channelType;
  private final Duration idleTimeout;
  private final ConcurrentMap<Origin, Deque<Channel>> idle = new ConcurrentHashMap<>();
  private final Supplier<SslContext> tls;

  PutConnections() {
    this(IDLE_TIMEOUT, null);
  }

  /**
   * @param idleTimeout how long a connection may see nothing before it is closed
   * @param trust       whom an {@code https} store's certificate must be issued by; null for the
   *                    JDK's authorities
   */
  PutConnections(Duration idleTimeout, TrustManagerFactory trust) {
    this.idleTimeout = idleTimeout;
    this.tls = StoreTls.memoized(trust);
    // Epoll where Netty's native transport loads (the server's own Vert.x prefers it too), NIO
    // else.
    boolean epoll = Epoll.isAvailable();
    IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    this.loop =
        new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("tempmedia-s3-put", true), io);
    this.channelType = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
  }

  /**
   * Sends a PUT of the readable bytes of {@code body} to {@code target} (path and query) on {@code
   * origin} with {@code headers} (the signed ones, Host among them, sent as signed) and waits for
   * the answer. Blocking. Takes {@code body}: it is released once written, or when it cannot be.
   * An exchange that breaks before its answer (a kept-alive connection the store closed just as it
   * was reused, a reset, a stall) throws; the caller decides whether to send it again.
   */
  Answer put(Origin origin, String target, Map<String, String> headers, ByteBuf body)
      throws IOException {
    Channel channel;
    try {
      channel = borrow(origin);
    } catch (IOException | RuntimeException e) {
      body.release();
      throw e;
    }
    FullHttpRequest request =
        new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.PUT, target, body);
    headers.forEach(request.headers()::add);
    HttpUtil.setContentLength(request, body.readableBytes());
    CompletableFuture<Answer> answer = new CompletableFuture<>();
    // Null once a connection the store closed just now has had its pipeline torn down.
    Exchange exchange = channel.pipeline().get(Exchange.class);
    try {
      if (exchange == null) {
        throw new RejectedExecutionException("connection closed");
      }
      channel.eventLoop().execute(() -> exchange.send(request, answer));
    } catch (RejectedExecutionException e) {
      request.release();
      throw new IOException("the S3 store's connection closed before the PUT was sent", e);
    }
    try {
      // The idle timeout ends a stalled exchange; this bound is only a second line behind it.
      return answer.get(idleTimeout.toMillis() * 2 + CONNECT_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof IOException io ? io : new IOException(cause.getMessage(), cause);
    } catch (TimeoutException e) {
      channel.close();
      throw new IOException("the S3 store did not answer a PUT in time", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      channel.close();
      throw new InterruptedIOException("interrupted while waiting for an S3 PUT's answer");
    }
  }

  /** A kept-alive connection to {@code origin}, or a new one. Blocking (the name, the connect). */
  private Channel borrow(Origin origin) throws IOException {
    Deque<Channel> kept = idle.get(origin);
    Channel channel;
    while (kept != null && (channel = kept.pollLast()) != null) {
      if (channel.isActive()) {
        return channel;
      }
    }
    InetSocketAddress address =
        new InetSocketAddress(origin.host(), origin.port()); // resolves here
    if (address.isUnresolved()) {
      throw new IOException("the S3 store's host " + origin.host() + " could not be resolved");
    }
    SslContext context;
    try {
      context = origin.https() ? tls.get() : null;
    } catch (IllegalStateException e) {
      throw new IOException(e.getMessage(), e);
    }
    ChannelFuture connecting = new Bootstrap()
        .group(loop)
        .channel(channelType)
        .resolver(NoopAddressResolverGroup.INSTANCE) // resolved above, off the loop
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
        .option(ChannelOption.TCP_NODELAY, true)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel channel) {
            if (context != null) {
              channel
                  .pipeline()
                  .addLast(context.newHandler(channel.alloc(), origin.host(), origin.port()));
            }
            channel
                .pipeline()
                .addLast(
                    new IdleStateHandler(0, 0, idleTimeout.toMillis(), TimeUnit.MILLISECONDS),
                    new HttpClientCodec(4096, 8192, 8192),
                    new Exchange(origin));
          }
        })
        .connect(address);
    if (!connecting.awaitUninterruptibly(CONNECT_TIMEOUT_MILLIS * 2L)) {
      connecting.channel().close();
      throw new IOException("connecting to the S3 store at " + address + " timed out");
    }
    if (!connecting.isSuccess()) {
      Throwable cause = connecting.cause();
      throw new IOException(
          "could not connect to the S3 store at " + address + ": " + cause.getMessage(), cause);
    }
    Channel opened = connecting.channel();
    // Once, for the connection's life: one the store closes while it waits is no longer lent.
    opened.closeFuture().addListener(closed -> {
      Deque<Channel> waiting = idle.get(origin);
      if (waiting != null) {
        waiting.remove(opened);
      }
    });
    return opened;
  }

  /** On the loop: a connection whose exchange ended cleanly waits for the next PUT to its origin. */
  private void giveBack(Origin origin, Channel channel) {
    Deque<Channel> kept = idle.computeIfAbsent(origin, o -> new ConcurrentLinkedDeque<>());
    if (kept.size() >= MAX_IDLE_PER_ORIGIN) {
      channel.close();
    } else {
      kept.addLast(channel);
    }
  }

  @Override
  public void close() {
    loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }

  /** One connection's exchange in flight: its handler, touched only on the loop. */
  private final class Exchange extends ChannelInboundHandlerAdapter {
    private final Origin origin;
    private ChannelHandlerContext context;
    private CompletableFuture<Answer> pending;
    private ChannelFuture written;
    private int status;
    private String etag;
    private boolean keepAlive;
    private ByteBuf body;

    Exchange(Origin origin) {
      this.origin = origin;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
      this.context = context;
    }

    void send(FullHttpRequest request, CompletableFuture<Answer> answer) {
      if (!context.channel().isActive()) {
        request.release();
        answer.completeExceptionally(
            new IOException("the S3 store closed a kept-alive connection before the PUT"));
        return;
      }
      pending = answer;
      status = 0;
      etag = null;
      keepAlive = false;
      written = context.writeAndFlush(request);
      written.addListener(done -> {
        if (!done.isSuccess()) {
          fail(new IOException("an S3 PUT could not be sent: " + done.cause().getMessage()));
          context.close();
        }
      });
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object message) {
      try {
        if (pending == null) {
          context.close(); // nothing was asked: a store that talks out of turn is not reused
          return;
        }
        if (message instanceof HttpObject object && object.decoderResult().isFailure()) {
          fail(new IOException("the S3 store's answer to a PUT is not HTTP: "
              + object.decoderResult().cause().getMessage()));
          context.close();
          return;
        }
        if (message instanceof HttpResponse head) {
          status = head.status().code();
          etag = head.headers().get(HttpHeaderNames.ETAG);
          keepAlive = HttpUtil.isKeepAlive(head);
        }
        if (message instanceof HttpContent content && content.content().isReadable()) {
          ByteBuf bytes = content.content();
          if (body == null) { // only errors have a body: most answers need no buffer
            body = context
                .alloc()
                .heapBuffer(Math.min(bytes.readableBytes(), MAX_BODY_KEPT), MAX_BODY_KEPT);
          }
          body.writeBytes(bytes, Math.min(bytes.readableBytes(), body.maxWritableBytes()));
        }
        if (message instanceof LastHttpContent) {
          finish();
        }
      } finally {
        ReferenceCountUtil.release(message);
      }
    }

    private void finish() {
      Answer answer =
          new Answer(status, etag, body == null ? "" : body.toString(StandardCharsets.UTF_8));
      CompletableFuture<Answer> done = pending;
      pending = null;
      if (body != null) {
        body.release();
        body = null;
      }
      // An answer that came before the whole body was sent leaves the request half-written.
      if (keepAlive && written.isSuccess()) {
        giveBack(origin, context.channel());
      } else {
        context.close();
      }
      done.complete(answer);
    }

    private void fail(IOException e) {
      if (pending != null) {
        CompletableFuture<Answer> done = pending;
        pending = null;
        if (body != null) {
          body.release();
          body = null;
        }
        done.completeExceptionally(e);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
      fail(new IOException("the S3 store closed the connection before answering a PUT"));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
      fail(new IOException("an S3 PUT broke: " + cause.getMessage(), cause));
      context.close();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext context, Object event) {
      if (event instanceof IdleStateEvent) {
        fail(new IOException(
            "the S3 store sent nothing for " + idleTimeout.toMillis() + " ms during a PUT"));
        context.close();
      } else {
        context.fireUserEventTriggered(event);
      }
    }
  }
}
