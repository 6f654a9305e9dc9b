package dev.tempmedia.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tempmedia.testing.H2cUpgrade;
import dev.tempmedia.testing.Tls;
import dev.tempmedia.tls.LocalCa;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link SignedUrlRelay} between real servers: a stand-in store answering ranged GETs (right or
 * wrong, as the path says), the same store over TLS, and a front whose handler relays them. A store
 * that answers another slice than the one asked for must fail the relay before a byte of the
 * download is written, so that the client gets an error instead of a 200 with the wrong bytes; one
 * that breaks off later must break the download, never end it short.
 */
class SignedUrlRelayTest {
  private static final byte[] OBJECT =
      "0123456789abcdefghijklmnopqrstuvwxyz".getBytes(StandardCharsets.US_ASCII);

  /** A 3 MiB object, for slices that fill the response's write queue (the relay's backpressure). */
  private static final byte[] LARGE = new byte[3 << 20];

  private static Vertx vertx;
  private static HttpServer store;
  private static HttpServer tlsStore;
  private static HttpServer front;
  /** The requests each connection to the stores carried, from the start. */
  private static final Map<HttpConnection, AtomicInteger> requestsPerConnection =
      new ConcurrentHashMap<>();
  /** The connections the stores saw requests on, since a test last cleared it. */
  private static final Set<HttpConnection> storeConnections = ConcurrentHashMap.newKeySet();
  /**
   * One client for every download, which keeps its connection to the front: so its downloads are
   * relayed on one event loop of the front, whose connections to the store they share.
   */
  private static final HttpClient client = HttpClient.newHttpClient();
  /** The Range header of every GET the store received. */
  private static final List<String> storeRanges = new CopyOnWriteArrayList<>();
  /** What the front saw of its own response when the relay ended: "failed:<head written>" or "sent". */
  private static final BlockingQueue<String> outcomes = new LinkedBlockingQueue<>();

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    new Random(7).nextBytes(LARGE);
    store = listen(vertx.createHttpServer().requestHandler(SignedUrlRelayTest::answerAsStore));
    LocalCa ca = LocalCa.inDirectory(Files.createTempDirectory("relay-ca"), Clock.systemUTC());
    LocalCa.Leaf leaf = ca.issue(List.of("127.0.0.1"), Instant.now(), Duration.ofDays(1));
    tlsStore = Await.result(vertx
        .createHttpServer(new HttpServerOptions()
            .setSsl(true)
            .setKeyCertOptions(new PemKeyCertOptions()
                .setCertValue(Buffer.buffer(leaf.certPem()))
                .setKeyValue(Buffer.buffer(leaf.keyPem()))))
        .requestHandler(SignedUrlRelayTest::answerAsStore)
        .listen(0, "127.0.0.1"));
    SignedUrlRelay relay = new SignedUrlRelay(vertx);
    SignedUrlRelay trustingTheCa =
        new SignedUrlRelay(vertx, Tls.trustManagers(ca.certificatePem()));
    // A small send buffer, so that a client that stops reading fills the download's queue soon
    // (loopback's own buffers would take the whole large object).
    front = listen(vertx
        .createHttpServer(new HttpServerOptions().setSendBufferSize(32 * 1024))
        .requestHandler(request -> {
          // /tls/<path>: the TLS store, through a relay that trusts its CA; /untrusted/<path>: the
          // same
          // store through one that trusts only the JDK's authorities.
          String path = request.path();
          boolean tls = path.startsWith("/tls/") || path.startsWith("/untrusted/");
          URI url = URI.create((tls ? "https" : "http") + "://127.0.0.1:"
              + (tls ? tlsStore.actualPort() : store.actualPort())
              + (tls ? path.substring(path.indexOf('/', 1)) : path));
          long offset = Long.parseLong(
              request.params().get("offset") == null ? "10" : request.params().get("offset"));
          long length = Long.parseLong(
              request.params().get("length") == null ? "6" : request.params().get("length"));
          request
              .response()
              .setStatusCode(206)
              .putHeader(
                  "Content-Range",
                  "bytes " + offset + "-" + (offset + length - 1) + "/"
                      + (request.params().get("length") == null ? OBJECT.length : LARGE.length))
              .putHeader("Content-Length", Long.toString(length));
          SignedUrlRelay chosen = path.startsWith("/tls/") ? trustingTheCa : relay;
          chosen.relay(url, offset, length, request.response()).onComplete(done -> {
            if (done.succeeded()) {
              outcomes.add("sent");
              return;
            }
            outcomes.add("failed:" + request.response().headWritten());
            if (!request.response().headWritten()) {
              request
                  .response()
                  .setStatusCode(502)
                  .putHeader("Content-Length", "0")
                  .end();
            }
          });
        }));
  }

  /** The stand-in store: what it answers depends on the object's path. */
  private static void answerAsStore(io.vertx.core.http.HttpServerRequest request) {
    int onThisConnection = requestsPerConnection
        .computeIfAbsent(request.connection(), c -> new AtomicInteger())
        .incrementAndGet();
    storeConnections.add(request.connection());
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
      case "/large" ->
        request
            .response()
            .setStatusCode(206)
            .end(Buffer.buffer(Arrays.copyOfRange(LARGE, first, last + 1)));
      // Ignores the Range header: the whole object, as a store without range support would.
      case "/whole" -> request.response().setStatusCode(200).end(Buffer.buffer(OBJECT));
      // A slice one byte short.
      case "/short" ->
        request
            .response()
            .setStatusCode(206)
            .end(Buffer.buffer(Arrays.copyOfRange(OBJECT, first, last)));
      // Announces the slice, sends half of it and drops the connection.
      case "/breaks-off" -> {
        request
            .response()
            .setStatusCode(206)
            .putHeader("Content-Length", Integer.toString(last - first + 1))
            .write(Buffer.buffer(Arrays.copyOfRange(LARGE, first, first + (last - first + 1) / 2)));
        vertx.setTimer(50, t -> request.connection().close());
      }
      // Answers the first request of a connection and closes the connection when a second one
      // comes, without an answer: a kept-alive connection the store dropped as it was reused.
      case "/one-per-connection" -> {
        if (onThisConnection > 1) {
          request.connection().close();
          return;
        }
        request
            .response()
            .setStatusCode(206)
            .end(Buffer.buffer(Arrays.copyOfRange(OBJECT, first, last + 1)));
      }
      default ->
        request.response().setStatusCode(403).end("<Error><Code>AccessDenied</Code></Error>");
    }
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
    return client.send(
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

  @Test
  void aStoreOverTlsIsRelayedWhenItsCertificateIsTrustedAndRefusedWhenNot() throws Exception {
    HttpResponse<byte[]> trusted = download("/tls/honest");
    assertThat(trusted.statusCode()).isEqualTo(206);
    assertThat(new String(trusted.body(), StandardCharsets.US_ASCII)).isEqualTo("abcdef");
    assertThat(outcome()).isEqualTo("sent");

    HttpResponse<byte[]> untrusted = download("/untrusted/honest");
    assertThat(untrusted.statusCode()).isEqualTo(502);
    assertThat(storeRanges)
        .as("no request is sent over a connection that failed its handshake")
        .isEmpty();
    assertThat(outcome()).isEqualTo("failed:false");
  }

  /** Slices larger than the response's write queue: the store is read only as fast as the client takes. */
  @Test
  void aLargeSliceIsRelayedByteForByte() throws Exception {
    int offset = 12_345;
    int length = LARGE.length - offset - 678;
    HttpResponse<byte[]> answer = download("/large?offset=" + offset + "&length=" + length);
    assertThat(answer.statusCode()).isEqualTo(206);
    assertThat(answer.body()).isEqualTo(Arrays.copyOfRange(LARGE, offset, offset + length));
    assertThat(outcome()).isEqualTo("sent");
  }

  @Test
  void aStoreThatBreaksOffMidAnswerBreaksTheDownloadInsteadOfEndingItShort() throws Exception {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> download("/breaks-off?offset=0&length=" + (1 << 20)))
        .as("the client sees a broken download, never a short one that looks whole")
        .isInstanceOf(IOException.class);
    assertThat(outcome()).isEqualTo("failed:true");
  }

  @Test
  void downloadsOneAfterAnotherShareOneKeptAliveConnection() throws Exception {
    download("/honest");
    outcome();
    storeConnections.clear();
    for (int i = 0; i < 4; i++) {
      assertThat(new String(download("/honest").body(), StandardCharsets.US_ASCII))
          .isEqualTo("abcdef");
      assertThat(outcome()).isEqualTo("sent");
    }
    assertThat(storeConnections).as("the four downloads' store connections").hasSize(1);
  }

  @Test
  void aKeptAliveConnectionTheStoreDroppedIsReplacedBeforeTheDownloadFails() throws Exception {
    assertThat(download("/one-per-connection").statusCode()).isEqualTo(206);
    assertThat(outcome()).isEqualTo("sent");
    storeConnections.clear();
    HttpResponse<byte[]> second = download("/one-per-connection");
    assertThat(second.statusCode()).isEqualTo(206);
    assertThat(new String(second.body(), StandardCharsets.US_ASCII)).isEqualTo("abcdef");
    assertThat(outcome()).isEqualTo("sent");
    assertThat(storeRanges).as("the GET was sent again, on a new connection").hasSize(2);
    assertThat(storeConnections).hasSize(2);
  }

  @Test
  void aClientThatLeavesMidDownloadEndsTheRelayAndLeavesThePoolUsable() throws Exception {
    outcomes.clear();
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", front.actualPort())) {
      socket
          .getOutputStream()
          .write(("GET /large?offset=0&length=" + LARGE.length + " HTTP/1.1\r\nHost: front\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      assertThat(socket.getInputStream().readNBytes(1024)).hasSize(1024);
    }
    assertThat(outcome()).isEqualTo("failed:true");
    assertThat(new String(download("/honest").body(), StandardCharsets.US_ASCII))
        .isEqualTo("abcdef");
    assertThat(outcome()).isEqualTo("sent");
  }

  /** The relay writes into an HTTP/2 stream as into an HTTP/1.1 response (the client upgraded with h2c). */
  @Test
  void aLargeSliceIsRelayedIntoAnHttp2StreamByteForByte() throws Exception {
    int offset = 1;
    int length = LARGE.length - 2;
    URI url = URI.create(
        "http://127.0.0.1:" + front.actualPort() + "/large?offset=" + offset + "&length=" + length);
    HttpClient http2 = H2cUpgrade.send(
            HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.discarding())
        .client();
    outcome();
    outcomes.clear(); // an upgrade sent again left the outcome of the one whose answer was lost
    HttpResponse<byte[]> answer =
        http2.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(answer.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(answer.statusCode()).isEqualTo(206);
    assertThat(answer.body()).isEqualTo(Arrays.copyOfRange(LARGE, offset, offset + length));
    assertThat(outcome()).isEqualTo("sent");
  }

  /**
   * A client that does not read for a while: the download's queue fills, the relay stops reading from
   * the store, and every byte still arrives, in order, once the client reads again.
   */
  @Test
  void aClientThatStopsReadingPausesTheRelayWithoutLosingAByte() throws Exception {
    outcomes.clear();
    try (java.net.Socket socket = new java.net.Socket()) {
      socket.setReceiveBufferSize(16 * 1024);
      socket.connect(new java.net.InetSocketAddress("127.0.0.1", front.actualPort()));
      socket
          .getOutputStream()
          .write(("GET /large?offset=0&length=" + LARGE.length + " HTTP/1.1\r\nHost: front\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      Thread.sleep(1_000);
      java.io.InputStream in = socket.getInputStream();
      String head = "";
      while (!head.endsWith("\r\n\r\n")) {
        head += (char) in.read();
      }
      assertThat(head).startsWith("HTTP/1.1 206");
      assertThat(in.readNBytes(LARGE.length)).isEqualTo(LARGE);
    }
    assertThat(outcome()).isEqualTo("sent");
  }
}
