package dev.tempmedia.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tempmedia.testing.RawHttp;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.impl.ConnectionBase;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link PromptPause} on a real server and a real socket: what the server reads from the socket
 * after a pause (counted by a Netty handler at the head of the connection's pipeline, so the kernel's
 * buffers do not blur it; it is added once Vert.x has made the connection, after its first read, so
 * both figures may be short by that read), against a plain {@code request.pause()}: 0 bytes
 * against 1.5-2.4 MB here; and that a resumed connection
 * goes on serving, a pipelined request behind the body included. It reaches below Vert.x's public
 * API, so a Vert.x upgrade that changes what it relies on fails here.
 */
class PromptPauseTest {
  private static final int READ_BYTES = 64 * 1024;

  private Vertx vertx;
  private HttpServer server;
  /** Bytes the socket of the latest connection handed to Netty. */
  private final AtomicLong readFromSocket = new AtomicLong();
  /** Bytes of the latest request's body handed to the route. */
  private final AtomicLong delivered = new AtomicLong();

  private final CompletableFuture<Boolean> stopsReads = new CompletableFuture<>();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    // Body chunks as large as the server's (TempmediaServer), so that a chunk is one socket read.
    HttpServerOptions options = new HttpServerOptions().setMaxChunkSize(128 * 1024);
    server = Await.result(vertx
        .createHttpServer(options)
        .connectionHandler(this::countSocketReads)
        .requestHandler(this::route)
        .listen(0, "127.0.0.1"));
  }

  @AfterEach
  void stop() throws Exception {
    Await.result(vertx.close());
  }

  /**
   * {@code /prompt} and {@code /plain} pause at the first body chunk and never resume; {@code
   * /stutter} pauses at every chunk and resumes 5 ms later; {@code /refuse} pauses at the first,
   * answers 50 ms later and drops the rest of the body; {@code /ping} answers at once. A body's
   * end answers the number of its bytes.
   */
  private void route(HttpServerRequest request) {
    delivered.set(0);
    PromptPause pause = new PromptPause(request);
    stopsReads.complete(pause.stopsReads());
    request.handler(chunk -> {
      delivered.addAndGet(chunk.length());
      switch (request.path()) {
        case "/prompt" -> pause.pause();
        case "/plain" -> request.pause();
        case "/refuse" -> { // paused, then answered early: the rest is read and dropped
          pause.pause();
          vertx.setTimer(50, t -> {
            request.response().end("refused");
            Bodies.discardRest(request);
          });
        }
        case "/stutter" -> {
          pause.pause();
          vertx.setTimer(5, t -> pause.resume());
        }
        default -> {}
      }
    });
    request.endHandler(v -> request.response().end(Long.toString(delivered.get())));
  }

  private void countSocketReads(HttpConnection connection) {
    readFromSocket.set(0);
    ((ConnectionBase) connection).channel().pipeline().addFirst(new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        readFromSocket.addAndGet(((ByteBuf) msg).readableBytes());
        ctx.fireChannelRead(msg);
      }
    });
  }

  @Test
  void aPausedBodyIsReadNoFurtherThanTheReadInProgress() throws Exception {
    long prompt = readAheadOfAPausedBody("/prompt");
    long plain = readAheadOfAPausedBody("/plain");

    assertThat(stopsReads.get()).as("HTTP/1.1 pauses stop the socket's reads").isTrue();
    assertThat(prompt).as("read after the pause, prompt").isLessThanOrEqualTo(READ_BYTES);
    // Without the prompt pause Vert.x queues 16 reads for the route and more for the connection.
    assertThat(plain).as("read after the pause, plain").isGreaterThan(8L * READ_BYTES);
  }

  /** Sends a 32 MiB body the route pauses at once; what the server read beyond the route's share. */
  private long readAheadOfAPausedBody(String path) throws Exception {
    try (Socket socket = connect()) {
      OutputStream out = socket.getOutputStream();
      int length = 32 << 20;
      out.write(head(path, length));
      Thread writer = new Thread(() -> {
        byte[] block = new byte[READ_BYTES];
        try {
          for (int sent = 0; sent < length; sent += block.length) {
            out.write(block);
          }
        } catch (IOException closed) {
          // the test closes the socket while this is blocked
        }
      });
      writer.start();
      long settled = waitUntilSettled();
      socket.close();
      writer.join(TimeUnit.SECONDS.toMillis(10));
      return settled;
    }
  }

  /** The server's read-ahead once it has stopped growing for half a second. */
  private long waitUntilSettled() throws InterruptedException {
    long last = -1;
    long now = readFromSocket.get() - delivered.get();
    for (int i = 0; i < 100 && (now != last || delivered.get() == 0); i++) {
      last = now;
      Thread.sleep(500);
      now = readFromSocket.get() - delivered.get();
    }
    return now - headBytes;
  }

  private int headBytes;

  @Test
  void aResumedConnectionReadsTheWholeBodyAndThePipelinedRequestBehindIt() throws Exception {
    int length = 4 << 20;
    try (Socket socket = connect()) {
      CompletableFuture<Void> sent = sendBodyThenPing(socket, "/stutter", length);
      RawHttp.Response body = RawHttp.read(socket.getInputStream(), false);
      RawHttp.Response ping = RawHttp.read(socket.getInputStream(), false);
      sent.get(30, TimeUnit.SECONDS);

      assertThat(body.status()).isEqualTo(200);
      assertThat(body.text()).isEqualTo(Integer.toString(length));
      assertThat(ping.status()).isEqualTo(200);
      assertThat(ping.text()).isEqualTo("0");
    }
    assertThat(stopsReads.get()).isTrue();
  }

  @Test
  void anAnswerGivenWhilePausedReadsOnAndDropsTheRestOfTheBody() throws Exception {
    int length = 1 << 20; // within what Bodies.discardRest reads before it cuts a client off
    try (Socket socket = connect()) {
      // the whole body before reading, as most SDKs do
      sendBodyThenPing(socket, "/refuse", length).get(10, TimeUnit.SECONDS);
      RawHttp.Response refused = RawHttp.read(socket.getInputStream(), false);
      RawHttp.Response ping = RawHttp.read(socket.getInputStream(), false);

      assertThat(refused.text()).isEqualTo("refused");
      assertThat(ping.status()).isEqualTo(200);
      assertThat(ping.text()).isEqualTo("0");
    }
  }

  /** Writes a POST of {@code length} zeros to {@code path} and a GET of /ping behind it, in one go. */
  private CompletableFuture<Void> sendBodyThenPing(Socket socket, String path, int length)
      throws IOException {
    byte[] both = RawHttp.concat(
        head(path, length),
        new byte[length],
        "GET /ping HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    OutputStream out = socket.getOutputStream();
    return CompletableFuture.runAsync(() -> {
      try {
        out.write(both);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  private Socket connect() throws IOException {
    Socket socket = new Socket("127.0.0.1", server.actualPort());
    socket.setSoTimeout(10_000);
    return socket;
  }

  private byte[] head(String path, int length) {
    byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: " + length
            + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
    headBytes = head.length;
    return head;
  }
}
