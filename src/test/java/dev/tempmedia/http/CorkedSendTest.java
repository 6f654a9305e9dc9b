package dev.tempmedia.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollChannelOption;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.impl.ConnectionBase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link CorkedSend} on a real native-transport server: the socket is corked while a response is
 * sent and uncorked after it, so the next answer on the same connection is not held back (by up to
 * 200 ms, Linux's cork timeout). It reaches below Vert.x's public API, so a Vert.x upgrade that
 * changes the connection class fails here rather than silently sending uncorked.
 */
class CorkedSendTest {
  private static Vertx vertx;
  private static HttpServer server;
  /** The socket's TCP_CORK as seen inside the send, then after it, per request. */
  private static final List<Boolean> corkedDuring = new CopyOnWriteArrayList<>();

  private static final List<Boolean> corkedAfter = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    server = Await.result(vertx
        .createHttpServer()
        .requestHandler(request -> {
          Channel channel = channel(request);
          if (request.path().equals("/json")) {
            request.response().end("{}");
            return;
          }
          CorkedSend.send(request, () -> {
                corkedDuring.add(channel.config().getOption(EpollChannelOption.TCP_CORK));
                return request.response().end("0123456789");
              })
              .onComplete(
                  done -> corkedAfter.add(channel.config().getOption(EpollChannelOption.TCP_CORK)));
        })
        .listen(0, "127.0.0.1"));
  }

  @AfterAll
  static void stop() throws Exception {
    Await.result(vertx.close());
  }

  private static Channel channel(HttpServerRequest request) {
    return ((ConnectionBase) request.connection()).channel();
  }

  @Test
  void aResponseIsSentCorkedAndTheSocketIsUncorkedAfterIt() throws Exception {
    assumeThat(vertx.isNativeTransportEnabled()).as("epoll available").isTrue();
    HttpClient client =
        HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    URI base = URI.create("http://127.0.0.1:" + server.actualPort());

    for (int i = 0; i < 3; i++) { // one keep-alive connection: corked, uncorked, corked again
      HttpResponse<String> download = client.send(
          HttpRequest.newBuilder(base.resolve("/file")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(download.body()).isEqualTo("0123456789");
      HttpResponse<String> json = client.send(
          HttpRequest.newBuilder(base.resolve("/json")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(json.body()).isEqualTo("{}");
    }

    assertThat(corkedDuring)
        .as("corked while the response is written")
        .containsExactly(true, true, true);
    assertThat(corkedAfter).as("uncorked once it is out").containsExactly(false, false, false);
  }
}
