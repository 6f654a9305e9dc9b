package dev.tempmedia.http;

import dev.tempmedia.io.Origin;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.FastThreadLocal;
import io.vertx.core.internal.VertxInternal;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Keep-alive connections from tempmedia to the store, one small pool per event loop and origin: a
 * download's relay borrows one on the loop that serves the download and gives it back when the
 * store's answer has been read to its end. Each pool is touched only by its own loop's thread, so it
 * needs no lock. At most {@link #MAX_PER_LOOP} connections are open per loop and origin; a relay
 * that finds them all busy waits its turn, and at most {@link #MAX_WAITING} wait, so no number of
 * downloads makes the queue grow without bound.
 *
 * <p>Names are resolved by Vert.x's own asynchronous resolver, never by a blocking lookup on the
 * loop. Only the configured store's presigned URLs reach this class, never a host a client named.
 */
final class StoreConnections {
  /** Connections per event loop and origin, as many as Vert.x's client pool kept before. */
  static final int MAX_PER_LOOP = 64;
  /** Relays waiting for a connection, per event loop and origin; beyond it a relay fails at once. */
  static final int MAX_WAITING = 4_096;
  /**
   * A connection with nothing read or written for this long is closed, idle or in the middle of an
   * answer (a store that stalls), as Vert.x's client's idle timeout did.
   */
  static final int IDLE_SECONDS = 60;

  private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
  /** A relay chunk of up to 128 KiB: Netty's 8 KiB default cut every 64 KiB read into eight. */
  private static final int MAX_CHUNK = 128 * 1024;

  private final VertxInternal vertx;
  private final Supplier<SslContext> tls;
  private final ChannelHandler relayHandler;
  private final FastThreadLocal<Map<Origin, Pool>> pools = new FastThreadLocal<>() {
    @Override
    protected Map<Origin, Pool> initialValue() {
      return new HashMap<>();
    }
  };

  /**
   * @param tls          the client context for {@code https} stores, asked for at the first one
   * @param relayHandler the last handler of every connection's pipeline: shared, so it keeps what it
   *                     knows of an exchange on the channel
   */
  StoreConnections(VertxInternal vertx, Supplier<SslContext> tls, ChannelHandler relayHandler) {
    this.vertx = vertx;
    this.tls = tls;
    this.relayHandler = relayHandler;
  }

  /** What a borrowing gets: a connection (reused ones may turn out closed by the store), or why not. */
  interface Lender {
    void lent(Channel channel, boolean reused, Throwable failure);
  }

  /** Lends a connection to {@code origin} on {@code loop}, which must be the calling thread. */
  void borrow(EventLoop loop, Origin origin, Lender lender) {
    pools.get().computeIfAbsent(origin, o -> new Pool(loop, o)).borrow(lender);
  }

  /**
   * Gives back a connection whose answer was read to its end, on its loop; one the store will close,
   * or that broke, is closed instead.
   */
  void giveBack(Channel channel, Origin origin, boolean keepAlive) {
    Pool pool = pools.get().get(origin);
    if (pool == null || !keepAlive || !channel.isActive()) {
      channel.close();
      return;
    }
    pool.giveBack(channel);
  }

  /** One loop's connections to one origin. */
  private final class Pool {
    private final EventLoop loop;
    private final Origin origin;
    private final ArrayDeque<Channel> idle = new ArrayDeque<>();
    private final ArrayDeque<Lender> waiting = new ArrayDeque<>();
    /** Connections open or being opened; each is counted down once, when it closes. */
    private int open;

    Pool(EventLoop loop, Origin origin) {
      this.loop = loop;
      this.origin = origin;
    }

    void borrow(Lender lender) {
      Channel reused;
      while ((reused = idle.pollLast()) != null) {
        if (reused.isActive()) {
          lender.lent(reused, true, null);
          return;
        }
      }
      if (open < MAX_PER_LOOP) {
        connect(lender);
      } else if (waiting.size() < MAX_WAITING) {
        waiting.add(lender);
      } else {
        lender.lent(
            null,
            false,
            new IllegalStateException(
                "more than " + MAX_WAITING + " downloads wait for a connection to the store"));
      }
    }

    void giveBack(Channel channel) {
      Lender next = waiting.poll();
      if (next != null) {
        next.lent(channel, true, null);
      } else {
        idle.addLast(channel);
      }
    }

    private void connect(Lender lender) {
      open++;
      ChannelFuture connecting = new Bootstrap()
          .group(loop)
          .channelFactory(vertx.transport().channelFactory(false))
          .resolver(vertx.nameResolver().nettyAddressResolverGroup())
          .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
          .option(ChannelOption.TCP_NODELAY, true)
          .handler(new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel channel) {
              if (origin.https()) {
                channel
                    .pipeline()
                    .addLast(tls.get().newHandler(channel.alloc(), origin.host(), origin.port()));
              }
              channel
                  .pipeline()
                  .addLast(
                      new IdleStateHandler(0, 0, IDLE_SECONDS, TimeUnit.SECONDS),
                      new HttpClientCodec(4096, 8192, MAX_CHUNK),
                      relayHandler);
            }
          })
          .connect(origin.host(), origin.port());
      Channel channel = connecting.channel();
      channel.closeFuture().addListener(closed -> forget(channel));
      connecting.addListener(done -> {
        if (done.isSuccess()) {
          lender.lent(channel, false, null);
        } else {
          lender.lent(null, false, done.cause());
        }
      });
    }

    /** A connection closed, by either side or failing to open: it no longer counts. */
    private void forget(Channel channel) {
      idle.remove(channel);
      open--;
      while (open < MAX_PER_LOOP && !waiting.isEmpty()) {
        connect(waiting.poll());
      }
    }
  }
}
