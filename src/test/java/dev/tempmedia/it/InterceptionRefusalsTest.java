package dev.tempmedia.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tempmedia.testing.RawHttp;
import dev.tempmedia.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SPEC §11: the forward proxy is never a relay. Every host but the three WeChat ones, and a WeChat host
 * on another port, is refused with 403 and a JSON reason, the connection closes, and — watched by a
 * listener of the test's own on the host the request names — no connection is opened to it. The
 * target is the request-target's, whatever the Host header says.
 */
class InterceptionRefusalsTest {
  @TempDir
  Path data;

  TestServer server;
  int proxy;
  /** Where the refused requests point: it must never see a connection. */
  ServerSocket bystander;

  int target;

  @BeforeEach
  void start() throws IOException {
    server = new TestServer(data, Map.of("server.proxy.port", "0"));
    proxy = server.server().proxyPort();
    bystander = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    target = bystander.getLocalPort();
  }

  @AfterEach
  void stop() throws IOException {
    bystander.close();
    server.close();
  }

  /** The bystander's accept() times out: the proxy opened nothing to it. */
  void bystanderSawNoConnection() throws IOException {
    bystander.setSoTimeout(1_000);
    assertThatThrownBy(() -> {
          try (Socket s = bystander.accept()) {
            // reaching here is the failure
          }
        })
        .as("the proxy opened a connection to 127.0.0.1:" + target)
        .isInstanceOf(SocketTimeoutException.class);
  }

  /**
   * Sends {@code head} to the proxy and checks the refusal: 403, JSON {@code {"error":…}},
   * {@code Connection: close}, and the connection really closed after it.
   */
  JsonNode refused(byte[] head) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", proxy)) {
      socket.setSoTimeout(5_000);
      socket.getOutputStream().write(head);
      socket.getOutputStream().flush();
      InputStream in = socket.getInputStream();
      RawHttp.Response answer = RawHttp.read(in, false);
      assertThat(answer.status()).as(answer.head() + answer.text()).isEqualTo(403);
      assertThat(answer.header("Content-Type")).isEqualTo("application/json");
      assertThat(answer.header("Connection")).isEqualToIgnoringCase("close");
      assertThat(in.read()).as("the proxy closes a refused connection").isEqualTo(-1);
      JsonNode body = answer.json();
      assertThat(body.path("error").asText()).isNotEmpty();
      return body;
    }
  }

  @Test
  void connectToAnotherHostIsRefusedAndNothingReachesIt() throws IOException {
    JsonNode why = refused(
        RawHttp.head("CONNECT 127.0.0.1:" + target + " HTTP/1.1", "Host: 127.0.0.1:" + target));
    assertThat(why.path("error").asText())
        .contains("127.0.0.1:" + target)
        .contains("api.weixin.qq.com")
        .contains("opened no connection");
    bystanderSawNoConnection();
  }

  @Test
  void connectToAnUnresolvableHostIsRefused() throws IOException {
    JsonNode why =
        refused(RawHttp.head("CONNECT example.invalid:443 HTTP/1.1", "Host: example.invalid:443"));
    assertThat(why.path("error").asText()).contains("example.invalid:443");
  }

  @Test
  void connectToAWeChatHostOnAnotherPortIsRefused() throws IOException {
    JsonNode why = refused(
        RawHttp.head("CONNECT api.weixin.qq.com:80 HTTP/1.1", "Host: api.weixin.qq.com:80"));
    assertThat(why.path("error").asText()).contains("api.weixin.qq.com:80");
  }

  @Test
  void connectWithoutAPortIsRefusedAndSaysSo() throws IOException {
    JsonNode why =
        refused(RawHttp.head("CONNECT api.weixin.qq.com HTTP/1.1", "Host: api.weixin.qq.com"));
    assertThat(why.path("error").asText()).contains("no port");
  }

  /**
   * The CONNECT's own target decides, not its Host header (RFC 9112 §3.2.3): Vert.x's
   * {@code authority()} reads Host, which once let this request through to a tunnel.
   */
  @Test
  void aConnectWhoseHostHeaderNamesWeChatIsStillRefused() throws IOException {
    refused(
        RawHttp.head("CONNECT 127.0.0.1:" + target + " HTTP/1.1", "Host: api.weixin.qq.com:443"));
    bystanderSawNoConnection();
  }

  /** And the other way round: a WeChat CONNECT with another Host, or none (older Python), is tunnelled. */
  @ParameterizedTest
  @ValueSource(strings = {"Host: elsewhere.example:443", ""})
  void aWeChatConnectIsTunnelledWhateverItsHostHeader(String hostLine) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", proxy)) {
      socket.setSoTimeout(5_000);
      byte[] head = hostLine.isEmpty()
          ? RawHttp.head("CONNECT api.weixin.qq.com:443 HTTP/1.0")
          : RawHttp.head("CONNECT api.weixin.qq.com:443 HTTP/1.1", hostLine);
      socket.getOutputStream().write(head);
      RawHttp.Response answer = RawHttp.read(socket.getInputStream(), true);
      assertThat(answer.status()).as(answer.head()).isEqualTo(200);
    }
  }

  @Test
  void anAbsoluteFormRequestToAnotherHostIsRefusedAndNothingReachesIt() throws IOException {
    refused(
        RawHttp.head("GET http://127.0.0.1:" + target + "/ HTTP/1.1", "Host: 127.0.0.1:" + target));
    bystanderSawNoConnection();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        // the Host header names WeChat, the target does not (RFC 9112 §3.2.2: the target wins)
        "GET http://127.0.0.1:%d/cgi-bin/token HTTP/1.1|Host: api.weixin.qq.com",
        // user info before the real host
        "GET http://api.weixin.qq.com@127.0.0.1:%d/cgi-bin/token HTTP/1.1|Host: api.weixin.qq.com",
        // https:// on a port other than 443
        "GET https://api.weixin.qq.com:%d/cgi-bin/token HTTP/1.1|Host: api.weixin.qq.com",
      })
  void anAbsoluteFormRequestThatOnlySeemsToNameWeChatIsRefused(String lines) throws IOException {
    String[] parts = lines.formatted(target).split("\\|");
    refused(RawHttp.head(parts[0], parts[1]));
    bystanderSawNoConnection();
  }

  @Test
  void aWeChatHostOnAnotherPortIsRefused() throws IOException {
    JsonNode why = refused(RawHttp.head(
        "GET http://api.weixin.qq.com:8080/ HTTP/1.1", "Host: api.weixin.qq.com:8080"));
    assertThat(why.path("error").asText()).contains("api.weixin.qq.com:8080");
  }

  @Test
  void anOriginFormRequestIsRefusedAndNamesTheApiPort() throws IOException {
    JsonNode why = refused(RawHttp.head("GET /cgi-bin/token HTTP/1.1", "Host: api.weixin.qq.com"));
    assertThat(why.path("error").asText())
        .contains("forward proxy")
        .contains(Integer.toString(server.server().port()));
  }

  /** The target of an absolute-form request decides: a lying or missing Host does not refuse it. */
  @ParameterizedTest
  @ValueSource(strings = {"HTTP/1.1|Host: elsewhere.example", "HTTP/1.0|"})
  void anAbsoluteFormWeChatRequestIsServedWhateverItsHostHeader(String form) throws IOException {
    String[] parts = form.split("\\|", -1);
    String line = "GET http://api.weixin.qq.com/cgi-bin/token?grant_type=client_credential&appid="
        + TestServer.OA + "&secret=" + TestServer.OA_SECRET + " " + parts[0];
    byte[] head = parts[1].isEmpty() ? RawHttp.head(line) : RawHttp.head(line, parts[1]);
    RawHttp.Response answer = RawHttp.exchange(proxy, head, false);
    assertThat(answer.status()).as(answer.text()).isEqualTo(200);
    assertThat(answer.json().path("access_token").asText()).isNotEmpty();
  }

  @Test
  void aTargetThatIsNoHostIsRefusedWithJsonThatStillParses() throws IOException {
    // refused() parses the body: a quote in the named host must not break the refusal's JSON.
    refused(RawHttp.head("CONNECT a\"b.example:443 HTTP/1.1", "Host: x"));
    refused(RawHttp.head("GET http://a\"b.example/ HTTP/1.1", "Host: x"));
  }

  @Test
  void refusalsReachNeitherTheInspectorAsServedNorTheBystander() throws IOException {
    refused(RawHttp.head("GET http://127.0.0.1:" + target + "/x HTTP/1.1", "Host: x"));
    refused(RawHttp.head("CONNECT 127.0.0.1:" + target + " HTTP/1.1", "Host: x"));
    JsonNode requests = TestServer.json(server.get("/_tempmedia/requests")).path("requests");
    for (JsonNode r : requests) {
      assertThat(r.path("via").asText()).as(r.toString()).isNotIn("proxy", "proxy-connect");
    }
    bystanderSawNoConnection();
  }
}
