package dev.tempmedia.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tempmedia.io.Origin;
import dev.tempmedia.testing.Tls;
import dev.tempmedia.tls.LocalCa;
import io.netty.buffer.Unpooled;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/** The connections the presigned PUTs go over, against stand-in stores on loopback. */
class PutConnectionsTest {

  @Test
  void putsSendTheSignedHeadAndBodyOverOneKeptAliveConnection() throws Exception {
    Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
    List<String> received = new CopyOnWriteArrayList<>();
    com.sun.net.httpserver.HttpServer store =
        com.sun.net.httpserver.HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    store.createContext("/", exchange -> {
      clientPorts.add(exchange.getRemoteAddress().getPort());
      byte[] body = exchange.getRequestBody().readAllBytes();
      received.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath() + "?"
          + exchange.getRequestURI().getRawQuery() + " "
          + exchange.getRequestHeaders().getFirst("Host")
          + " " + exchange.getRequestHeaders().getFirst("x-amz-meta-tm-name") + " "
          + new String(body, StandardCharsets.US_ASCII));
      exchange.getResponseHeaders().add("ETag", "\"e" + received.size() + "\"");
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    store.start();
    int port = store.getAddress().getPort();
    try (PutConnections connections = new PutConnections()) {
      for (int i = 1; i <= 5; i++) {
        byte[] bytes = ("body-" + i + "-and-what-is-not-sent").getBytes(StandardCharsets.US_ASCII);
        PutConnections.Answer answer = connections.put(
            new Origin(false, "127.0.0.1", port),
            "/bucket/media/a%20b?X-Amz-Signature=s" + i,
            Map.of("Host", "127.0.0.1:" + port, "x-amz-meta-tm-name", "n" + i),
            Unpooled.wrappedBuffer(bytes, 0, 6));
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.etag()).isEqualTo("\"e" + i + "\"");
      }
    } finally {
      store.stop(0);
    }
    assertThat(received)
        .as("the raw path and query as signed, the signed Host, only the bytes asked for")
        .startsWith("PUT /bucket/media/a%20b?X-Amz-Signature=s1 127.0.0.1:" + port + " n1 body-1")
        .hasSize(5);
    assertThat(clientPorts).as("one connection, kept alive").hasSize(1);
  }

  @Test
  void anErrorAnswersBodyIsReadBoundedAndTheConnectionClosedWhenTheStoreSaysSo() throws Exception {
    String error =
        "<Error><Code>AccessDenied</Code><Message>" + "x".repeat(10_000) + "</Message></Error>";
    Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
    com.sun.net.httpserver.HttpServer store =
        com.sun.net.httpserver.HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    store.createContext("/", exchange -> {
      clientPorts.add(exchange.getRemoteAddress().getPort());
      exchange.getRequestBody().readAllBytes();
      exchange.getResponseHeaders().add("Connection", "close");
      byte[] bytes = error.getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(403, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    store.start();
    int port = store.getAddress().getPort();
    try (PutConnections connections = new PutConnections()) {
      for (int i = 0; i < 2; i++) {
        PutConnections.Answer answer = connections.put(
            new Origin(false, "127.0.0.1", port),
            "/bucket/k",
            Map.of("Host", "127.0.0.1:" + port),
            Unpooled.wrappedBuffer(new byte[10]));
        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.body()).startsWith("<Error><Code>AccessDenied</Code>").hasSize(4096);
      }
    } finally {
      store.stop(0);
    }
    assertThat(clientPorts).as("Connection: close is not reused").hasSize(2);
  }

  /** A store that reads the request and never answers: the idle timeout ends the PUT. */
  @Test
  void aStoreThatStallsFailsThePutAfterTheIdleTimeoutAndItIsAskedAgain() throws Exception {
    AtomicInteger requests = new AtomicInteger();
    List<Socket> held = new CopyOnWriteArrayList<>();
    try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread acceptor = new Thread(() -> {
        while (!socket.isClosed()) {
          try {
            Socket client = socket.accept();
            held.add(client);
            PresignedPutTest.CuttingStore.readHead(client.getInputStream());
            requests.incrementAndGet();
          } catch (IOException e) {
            // closed by the test
          }
        }
      });
      acceptor.start();
      try (PresignedPut puts = new PresignedPut(
          PresignedPutTest.signerAt(socket.getLocalPort()),
          new PutConnections(Duration.ofMillis(300), null))) {
        assertThatThrownBy(() -> PresignedPutTest.send(
                puts,
                PresignedPut.object("bucket", "media/s", "image/png", Map.of()),
                "media/s",
                new byte[100],
                100))
            .isInstanceOf(IOException.class)
            .hasMessageContaining("sent nothing for 300 ms");
      } finally {
        for (Socket client : held) {
          client.close();
        }
      }
      assertThat(requests)
          .as("a stall is tried again, on a new connection")
          .hasValue(PresignedPut.ATTEMPTS);
      assertThat(held).hasSize(PresignedPut.ATTEMPTS);
    }
  }

  @Test
  void aStoreThatIsNotListeningFailsThePut() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    try (PutConnections connections = new PutConnections()) {
      assertThatThrownBy(() -> connections.put(
              new Origin(false, "127.0.0.1", port),
              "/bucket/k",
              Map.of("Host", "127.0.0.1:" + port),
              Unpooled.wrappedBuffer(new byte[1])))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("could not connect to the S3 store at");
    }
  }

  /**
   * An {@code https} store (a Vert.x server with a certificate of a local CA): taken when its
   * certificate is issued by a trusted authority for the host asked for, refused when the authority
   * is not trusted or the certificate names another host.
   */
  @Test
  void anHttpsStoreIsTakenOnlyWithATrustedCertificateForItsHost() throws Exception {
    LocalCa ca = LocalCa.inDirectory(Files.createTempDirectory("put-ca"), Clock.systemUTC());
    TrustManagerFactory trust = Tls.trustManagers(ca.certificatePem());
    Vertx vertx = Vertx.vertx();
    try {
      HttpServer forLoopback = httpsStore(vertx, ca, "127.0.0.1");
      HttpServer forAnother = httpsStore(vertx, ca, "other.example");
      try (PutConnections trusting = new PutConnections(Duration.ofSeconds(5), trust);
          PutConnections jdkTrust = new PutConnections()) {
        PutConnections.Answer answer = put(trusting, forLoopback.actualPort());
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.etag()).as("the store read the 6 bytes").isEqualTo("\"6\"");
        assertThatThrownBy(() -> put(trusting, forAnother.actualPort()))
            .as("a certificate for another host")
            .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> put(jdkTrust, forLoopback.actualPort()))
            .as("an authority the JDK does not know")
            .isInstanceOf(IOException.class);
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
  }

  private static PutConnections.Answer put(PutConnections connections, int port)
      throws IOException {
    return connections.put(
        new Origin(true, "127.0.0.1", port),
        "/bucket/k",
        Map.of("Host", "127.0.0.1:" + port),
        Unpooled.wrappedBuffer("secret".getBytes(StandardCharsets.US_ASCII)));
  }

  /** A stand-in store over TLS answering 200 with the length of the body it read as the ETag. */
  private static HttpServer httpsStore(Vertx vertx, LocalCa ca, String name) throws Exception {
    LocalCa.Leaf leaf = ca.issue(List.of(name), Instant.now(), Duration.ofDays(1));
    return vertx
        .createHttpServer(new HttpServerOptions()
            .setSsl(true)
            .setKeyCertOptions(new PemKeyCertOptions()
                .setCertValue(Buffer.buffer(leaf.certPem()))
                .setKeyValue(Buffer.buffer(leaf.keyPem()))))
        .requestHandler(request -> request
            .body()
            .onSuccess(body -> request
                .response()
                .putHeader("ETag", "\"" + body.length() + "\"")
                .end()))
        .listen(0, "127.0.0.1")
        .toCompletionStage()
        .toCompletableFuture()
        .get();
  }
}
