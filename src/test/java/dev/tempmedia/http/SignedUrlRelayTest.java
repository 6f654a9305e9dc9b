package dev.tempmedia.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link SignedUrlRelay} between two real servers: a stand-in store answering ranged GETs (right or
 * wrong, as the path says) and a front whose handler relays them. A store that answers another slice
 * than the one asked for must fail the relay before a byte of the download is written, so that the
 * client gets an error instead of a 200 with the wrong bytes.
 */
class SignedUrlRelayTest {
  private static final byte[] OBJECT =
      "0123456789abcdefghijklmnopqrstuvwxyz".getBytes(StandardCharsets.US_ASCII);

  private static Vertx vertx;
  private static HttpServer store;
  private static HttpServer front;
  /** The Range header of every GET the store received. */
  private static final List<String> storeRanges = new CopyOnWriteArrayList<>();
  /** What the front saw of its own response when the relay ended: "failed:<head written>" or "sent". */
  private static final BlockingQueue<String> outcomes = new LinkedBlockingQueue<>();

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    store = listen(vertx.createHttpServer().requestHandler(request -> {
      String range = request.getHeader("Range");
      storeRanges.add(range);
      String[] bounds = range.substring("bytes=".length()).split("-");
      int first = Integer.parseInt(bounds[0]);
      int last = Integer.parseInt(bounds[1]);
      switch (request.path()) {
        case "/honest" ->
          request
              .response()
              .setStatusCode(206)
              .end(Buffer.buffer(Arrays.copyOfRange(OBJECT, first, last + 1)));
        // Ignores the Range header: the whole object, as a store without range support would.
        case "/whole" -> request.response().setStatusCode(200).end(Buffer.buffer(OBJECT));
        // A slice one byte short.
        case "/short" ->
          request
              .response()
              .setStatusCode(206)
              .end(Buffer.buffer(Arrays.copyOfRange(OBJECT, first, last)));
        default ->
          request.response().setStatusCode(403).end("<Error><Code>AccessDenied</Code></Error>");
      }
    }));
    SignedUrlRelay relay = new SignedUrlRelay(vertx);
    front = listen(vertx.createHttpServer().requestHandler(request -> {
      URI url = URI.create("http://127.0.0.1:" + store.actualPort() + request.path());
      long offset = 10;
      long length = 6;
      request
          .response()
          .setStatusCode(206)
          .putHeader("Content-Range", "bytes 10-15/" + OBJECT.length)
          .putHeader("Content-Length", Long.toString(length));
      relay.relay(url, offset, length, request.response()).onComplete(done -> {
        if (done.succeeded()) {
          outcomes.add("sent");
          return;
        }
        outcomes.add("failed:" + request.response().headWritten());
        request.response().setStatusCode(502).putHeader("Content-Length", "0").end();
      });
    }));
  }

  private static HttpServer listen(HttpServer server) throws Exception {
    return Await.result(server.listen(0, "127.0.0.1"));
  }

  @AfterAll
  static void stop() throws Exception {
    Await.result(vertx.close());
  }

  private static HttpResponse<byte[]> download(String path) throws Exception {
    outcomes.clear();
    storeRanges.clear();
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + front.actualPort() + path))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
  }

  /** The relay's outcome, which the front learns only as its response ends, so maybe after the client. */
  private static String outcome() throws InterruptedException {
    return outcomes.poll(10, TimeUnit.SECONDS);
  }

  @Test
  void theSliceAskedForIsRelayedByteForByte() throws Exception {
    HttpResponse<byte[]> answer = download("/honest");
    assertThat(answer.statusCode()).isEqualTo(206);
    assertThat(new String(answer.body(), StandardCharsets.US_ASCII)).isEqualTo("abcdef");
    assertThat(answer.headers().firstValue("Content-Range")).hasValue("bytes 10-15/36");
    assertThat(storeRanges).containsExactly("bytes=10-15");
    assertThat(outcome()).isEqualTo("sent");
  }

  /**
   * A store answering the whole object (as one without range support would), a slice one byte
   * short, or a refusal of the URL (403, as for an expired signature).
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/whole", "/short", "/expired"})
  void aStoreNotAnsweringTheSliceFailsTheRelayBeforeAnyByteIsWritten(String store)
      throws Exception {
    HttpResponse<byte[]> answer = download(store);
    assertThat(answer.statusCode()).as("the caller could still answer an error").isEqualTo(502);
    assertThat(answer.body()).isEmpty();
    assertThat(outcome()).isEqualTo("failed:false");
  }
}
