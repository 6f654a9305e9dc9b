package dev.tempmedia.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tempmedia.testing.TestServer;
import dev.tempmedia.testing.Tls;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SPEC §11's HTTPS listener: TLS 1.2 and 1.3 and nothing older, HTTP/2 or HTTP/1.1 by ALPN, and a
 * client that does not trust the local CA fails its handshake.
 */
class TlsProtocolsTest {
  static final String HOST = "api.weixin.qq.com";

  @TempDir
  Path data;

  TestServer server;
  SSLContext trust;
  int https;

  @BeforeEach
  void start() {
    server = new TestServer(data, Map.of("server.https.port", "0"));
    trust = Tls.trusting(server.get("/_tempmedia/ca.pem").body());
    https = server.server().httpsPort();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
  void tls12And13AreAccepted(String protocol) throws IOException {
    try (SSLSocket tls = Tls.handshake(trust, https, HOST, protocol)) {
      assertThat(tls.getSession().getProtocol()).isEqualTo(protocol);
    }
  }

  /**
   * TLS 1.1 and 1.0 are refused. The JDK's client will not offer them (jdk.tls.disabledAlgorithms,
   * read once per JVM), so the ClientHello is written by hand; the same hello offering TLS 1.2 gets a
   * ServerHello, which shows that the hello itself is sound and that the version alone is refused.
   */
  @ParameterizedTest
  @ValueSource(ints = {0x0302, 0x0301})
  void olderProtocolsAreRefused(int version) throws IOException {
    assertThat(serverHelloVersion(0x0303))
        .as("control: the hand-made hello at TLS 1.2")
        .isEqualTo(0x0303);
    assertThat(serverHelloVersion(version))
        .as("ServerHello version for a hello offering only 0x%04x (-1: refused)", version)
        .isEqualTo(-1);
  }

  /** Sends a ClientHello offering only {@code version}; the ServerHello's version, or -1 for an alert or a close. */
  int serverHelloVersion(int version) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", https)) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(clientHello(version, HOST));
      socket.getOutputStream().flush();
      DataInputStream in = new DataInputStream(socket.getInputStream());
      int type;
      try {
        type = in.readUnsignedByte();
        in.readUnsignedShort(); // record version
        in.readUnsignedShort(); // record length
        if (type != 0x16) {
          assertThat(type).as("an alert record").isEqualTo(0x15);
          return -1;
        }
        assertThat(in.readUnsignedByte()).as("ServerHello").isEqualTo(0x02);
        in.readUnsignedByte();
        in.readUnsignedShort(); // handshake length
        return in.readUnsignedShort();
      } catch (EOFException | SocketException closed) {
        return -1;
      }
    }
  }

  /** A TLS 1.0-1.2 style ClientHello with ECDHE-ECDSA suites (the leaf's key is P-256). */
  static byte[] clientHello(int version, String host) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    u16(body, version);
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    body.writeBytes(random);
    body.write(0); // no session id
    int[] suites = {0xC02B, 0xC02C, 0xC009, 0xC00A}; // ECDHE_ECDSA AES-GCM (1.2), AES-CBC-SHA
    u16(body, suites.length * 2);
    for (int s : suites) {
      u16(body, s);
    }
    body.write(1); // one compression method: null
    body.write(0);
    ByteArrayOutputStream ext = new ByteArrayOutputStream();
    byte[] name = host.getBytes(StandardCharsets.US_ASCII);
    extension(ext, 0x0000, concat(u16(name.length + 3), new byte[] {0}, u16(name.length), name));
    extension(ext, 0x000a, new byte[] {0, 2, 0, 0x17}); // supported_groups: secp256r1
    extension(ext, 0x000b, new byte[] {1, 0}); // ec_point_formats: uncompressed
    extension(ext, 0x000d, new byte[] {0, 4, 4, 3, 2, 3}); // ecdsa_secp256r1_sha256, ecdsa_sha1
    u16(body, ext.size());
    body.writeBytes(ext.toByteArray());
    byte[] hello = body.toByteArray();
    ByteArrayOutputStream record = new ByteArrayOutputStream();
    record.write(0x16);
    u16(record, 0x0301);
    u16(record, hello.length + 4);
    record.write(0x01);
    record.write(0);
    u16(record, hello.length);
    record.writeBytes(hello);
    return record.toByteArray();
  }

  static void extension(ByteArrayOutputStream out, int type, byte[] data) {
    u16(out, type);
    u16(out, data.length);
    out.writeBytes(data);
  }

  static void u16(ByteArrayOutputStream out, int v) {
    out.write(v >> 8 & 0xff);
    out.write(v & 0xff);
  }

  static byte[] u16(int v) {
    return new byte[] {(byte) (v >> 8), (byte) v};
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  @Test
  void alpnChoosesH2OrHttp11AsTheClientOffers() throws IOException {
    try (Socket plain = new Socket("127.0.0.1", https);
        SSLSocket tls = Tls.handshake(trust, plain, HOST, List.of("h2", "http/1.1"))) {
      assertThat(tls.getApplicationProtocol()).isEqualTo("h2");
    }
    try (Socket plain = new Socket("127.0.0.1", https);
        SSLSocket tls = Tls.handshake(trust, plain, HOST, List.of("http/1.1"))) {
      assertThat(tls.getApplicationProtocol()).isEqualTo("http/1.1");
    }
  }

  HttpResponse<String> tokenOverHttps(HttpClient.Version version) throws Exception {
    HttpClient client = HttpClient.newBuilder()
        .sslContext(trust)
        .version(version)
        .connectTimeout(Duration.ofSeconds(10))
        .build();
    // 127.0.0.1 is on the leaf as an IP entry, which the JDK client checks.
    return client.send(
        HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + https
                + "/cgi-bin/token?grant_type=client_credential&appid=" + TestServer.OA
                + "&secret=" + TestServer.OA_SECRET))
            .timeout(Duration.ofSeconds(30))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"HTTP_2", "HTTP_1_1"})
  void theJdkClientGetsATokenOverEitherVersion(String name) throws Exception {
    HttpClient.Version version = HttpClient.Version.valueOf(name);
    HttpResponse<String> r = tokenOverHttps(version);
    assertThat(r.version()).isEqualTo(version);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(TestServer.json(r).path("access_token").asText()).isNotEmpty();
    JsonNode newest = TestServer.json(server.get("/_tempmedia/requests?limit=1"))
        .path("requests")
        .get(0);
    assertThat(newest.path("path").asText()).isEqualTo("/cgi-bin/token");
    assertThat(newest.path("via").asText()).isEqualTo("https");
  }

  @Test
  void aClientThatDoesNotTrustTheCaFailsItsHandshake() throws Exception {
    assertThatThrownBy(() -> Tls.handshake(SSLContext.getDefault(), https, HOST).close())
        .isInstanceOf(SSLHandshakeException.class);
    HttpClient untrusting =
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    assertThatThrownBy(() -> untrusting.send(
            HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + https + "/cgi-bin/token"))
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(SSLHandshakeException.class);
    // And the plain port was never affected.
    assertThat(server.get("/_tempmedia/health").statusCode()).isEqualTo(200);
  }
}
