import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The most a download path written straight on Netty could reach on this machine: a bare Netty
 * server (native epoll, two event loops, like tempmedia) that answers every request with one open
 * file and a download's seven headers, the head and the file corked together, and does nothing else
 * (no routing, token, media id, inspector, metrics or conditionals). Measured beside tempmedia and
 * nginx by {@code bench/run.sh --only download --bare-netty}.
 *
 * <p>Run: {@code java -cp target/tempmedia.jar bench/BareNetty.java FILE PORT} (the jar brings
 * Netty).
 */
public final class BareNetty {
  private static final AsciiString CONTENT_TYPE = AsciiString.of("image/jpeg");
  private static final AsciiString DISPOSITION = AsciiString.of("attachment; filename=\"bench.jpg\"");
  private static final AsciiString NO_CACHE = AsciiString.of("no-cache, must-revalidate");
  private static volatile long dateSecond;
  private static volatile AsciiString date;

  public static void main(String[] args) throws Exception {
    FileChannel file = FileChannel.open(Path.of(args[0]), StandardOpenOption.READ);
    int port = Integer.parseInt(args[1]);
    long size = file.size();
    AsciiString length = AsciiString.of(Long.toString(size));
    AsciiString etag = AsciiString.of("\"" + size + "-bench\"");
    EventLoopGroup loops = new MultiThreadIoEventLoopGroup(2, EpollIoHandler.newFactory());
    new ServerBootstrap()
        .group(loops)
        .channel(EpollServerSocketChannel.class)
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel channel) {
            channel.pipeline().addLast(new HttpServerCodec(), new SimpleChannelInboundHandler<HttpObject>() {
              @Override
              protected void channelRead0(ChannelHandlerContext ctx, HttpObject message) {
                if (!(message instanceof HttpRequest)) {
                  return;
                }
                DefaultHttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                head.headers()
                    .set(HttpHeaderNames.CONTENT_TYPE, CONTENT_TYPE)
                    .set(HttpHeaderNames.CONTENT_DISPOSITION, DISPOSITION)
                    .set(HttpHeaderNames.CACHE_CONTROL, NO_CACHE)
                    .set(HttpHeaderNames.CONTENT_LENGTH, length)
                    .set(HttpHeaderNames.ACCEPT_RANGES, HttpHeaderValues.BYTES)
                    .set(HttpHeaderNames.ETAG, etag)
                    .set(HttpHeaderNames.DATE, now());
                ctx.channel().config().setOption(EpollChannelOption.TCP_CORK, true);
                ctx.write(head);
                ctx.write(new DefaultFileRegion(file, 0, size) {
                  @Override
                  protected void deallocate() {} // the one open file serves every request
                });
                ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT)
                    .addListener((ChannelFutureListener) done -> {
                      if (done.channel().isOpen()) {
                        done.channel().config().setOption(EpollChannelOption.TCP_CORK, false);
                      }
                    });
              }
            });
          }
        })
        .bind("127.0.0.1", port)
        .sync()
        .channel()
        .closeFuture()
        .sync();
  }

  /** The Date header, made once a second as tempmedia makes it. */
  private static AsciiString now() {
    long second = System.currentTimeMillis() / 1000;
    if (second != dateSecond) {
      date = AsciiString.of(DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)));
      dateSecond = second;
    }
    return date;
  }
}
