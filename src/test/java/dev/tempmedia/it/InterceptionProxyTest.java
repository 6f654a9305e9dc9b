package dev.tempmedia.it;

import static dev.tempmedia.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tempmedia.testing.MediaSamples;
import dev.tempmedia.testing.Multipart;
import dev.tempmedia.testing.RawHttp;
import dev.tempmedia.testing.TestServer;
import dev.tempmedia.testing.Tls;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * SPEC §11 as an SDK that hard-codes WeChat's hosts meets it: the JDK HttpClient, told to use the
 * forward proxy and to trust the local CA, reaches {@code https://api.weixin.qq.com} and {@code
 * https://qyapi.weixin.qq.com} (CONNECT, tempmedia's own TLS) and {@code http://api.weixin.qq.com}
 * (absolute-form); the inspector and the access log say which way each request came in, and the
 * client's own address survives the tunnel (the PROXY line).
 */
class InterceptionProxyTest {
  @TempDir
  Path data;

  TestServer server;
  SSLContext trust;
  int proxy;

  @BeforeEach
  void start() {
    server = new TestServer(data, Map.of("server.https.port", "0", "server.proxy.port", "0"));
    trust = Tls.trusting(server.get("/_tempmedia/ca.pem").body());
    proxy = server.server().proxyPort();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  HttpClient client(HttpClient.Version version) {
    return Tls.throughProxy(proxy, trust, version);
  }

  static <T> HttpResponse<T> send(
      HttpClient client, HttpRequest.Builder request, HttpResponse.BodyHandler<T> body)
      throws IOException, InterruptedException {
    return client.send(request.timeout(Duration.ofSeconds(30)).build(), body);
  }

  static HttpResponse<String> get(HttpClient client, String url) throws Exception {
    return send(
        client, HttpRequest.newBuilder(URI.create(url)), HttpResponse.BodyHandlers.ofString());
  }

  static String oaToken(HttpClient client, String base) throws Exception {
    HttpResponse<String> r = get(
        client,
        base + "/cgi-bin/token?grant_type=client_credential&appid=" + TestServer.OA + "&secret="
            + TestServer.OA_SECRET);
    String token = json(r).path("access_token").asText();
    assertThat(token).as(r.body()).isNotEmpty();
    return token;
  }

  static HttpResponse<String> upload(HttpClient client, String base, String token, byte[] file)
      throws Exception {
    Multipart form = new Multipart().media("photo.jpg", file);
    return send(
        client,
        HttpRequest.newBuilder(
                URI.create(base + "/cgi-bin/media/upload?access_token=" + token + "&type=image"))
            .header("Content-Type", form.contentType())
            .POST(HttpRequest.BodyPublishers.ofByteArray(form.close())),
        HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<byte[]> download(HttpClient client, String base, String token, String id)
      throws Exception {
    return send(
        client,
        HttpRequest.newBuilder(
            URI.create(base + "/cgi-bin/media/get?access_token=" + token + "&media_id=" + id)),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  @ParameterizedTest
  @ValueSource(strings = {"HTTP_2", "HTTP_1_1"})
  void tokenUploadAndAByteIdenticalDownloadOverHttpsThroughTheProxy(String v) throws Exception {
    HttpClient.Version version = HttpClient.Version.valueOf(v);
    HttpClient client = client(version);
    String api = "https://api.weixin.qq.com";
    HttpResponse<String> tokenAnswer = get(
        client,
        api + "/cgi-bin/token?grant_type=client_credential&appid=" + TestServer.OA + "&secret="
            + TestServer.OA_SECRET);
    assertThat(tokenAnswer.version()).as("ALPN inside the tunnel").isEqualTo(version);
    String token = json(tokenAnswer).path("access_token").asText();
    assertThat(token).as(tokenAnswer.body()).isNotEmpty();

    byte[] jpeg = MediaSamples.jpeg(120, 90);
    HttpResponse<String> up = upload(client, api, token, jpeg);
    String id = json(up).path("media_id").asText();
    assertThat(id).as(up.body()).hasSize(64);

    HttpResponse<byte[]> down = download(client, api, token, id);
    assertThat(down.statusCode()).isEqualTo(200);
    assertThat(down.body()).isEqualTo(jpeg);
    // The old file host of media serves it too, and the plain port sees the same state.
    assertThat(download(client, "https://file.api.weixin.qq.com", token, id).body())
        .isEqualTo(jpeg);
    assertThat(server.download(token, id).body()).isEqualTo(jpeg);
  }

  @Test
  void weComGetsItsTokenFromQyapiThroughTheProxy() throws Exception {
    HttpResponse<String> r = get(
        client(HttpClient.Version.HTTP_2),
        "https://qyapi.weixin.qq.com/cgi-bin/gettoken?corpid=" + TestServer.CORP + "&corpsecret="
            + TestServer.CORP_SECRET);
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode answer = json(r);
    assertThat(answer.path("errcode").asInt()).as(r.body()).isZero();
    assertThat(answer.path("access_token").asText()).isNotEmpty();
    assertThat(answer.path("expires_in").asInt()).isEqualTo(7200);
  }

  @ParameterizedTest
  @ValueSource(strings = {"HTTP_2", "HTTP_1_1"})
  void plainHttpToApiWeixinIsServedAsAnAbsoluteFormRequest(String v) throws Exception {
    HttpClient client = client(HttpClient.Version.valueOf(v));
    String api = "http://api.weixin.qq.com";
    String token = oaToken(client, api);
    byte[] jpeg = MediaSamples.jpeg(33, 44);
    String id = json(upload(client, api, token, jpeg)).path("media_id").asText();
    assertThat(download(client, api, token, id).body()).isEqualTo(jpeg);
  }

  /** An errmsg's rid, and the inspector's record of it. */
  JsonNode recordOf(String body) {
    String rid = json(body).path("errmsg").asText().replaceAll(".*rid: ", "");
    JsonNode found = json(server.get("/_tempmedia/requests?rid=" + rid)).path("requests");
    assertThat(found).as(body).hasSize(1);
    return found.get(0);
  }

  @Test
  void theInspectorSaysWhichWayEachRequestCameIn() throws Exception {
    String missing = "/cgi-bin/media/get?access_token=nonsense&media_id=x";
    assertThat(recordOf(server.get(missing).body()).path("via").asText()).isEqualTo("http");
    HttpClient h2 = client(HttpClient.Version.HTTP_2);
    assertThat(recordOf(get(h2, "https://api.weixin.qq.com" + missing).body())
            .path("via")
            .asText())
        .isEqualTo("proxy-connect");
    HttpClient h1 = client(HttpClient.Version.HTTP_1_1);
    assertThat(recordOf(get(h1, "http://api.weixin.qq.com" + missing).body())
            .path("via")
            .asText())
        .isEqualTo("proxy");
    HttpClient direct = HttpClient.newBuilder().sslContext(trust).build();
    String https = "https://127.0.0.1:" + server.server().httpsPort();
    JsonNode record = recordOf(get(direct, https + missing).body());
    assertThat(record.path("via").asText()).isEqualTo("https");
    assertThat(record.path("path").asText()).isEqualTo("/cgi-bin/media/get");
    assertThat(record.path("errcode").asInt()).isEqualTo(40001);
  }

  /** 127.0.0.2 is this machine too (all of 127/8 is loopback on Linux), but not the tunnel's own end. */
  static InetAddress otherLoopback() {
    try {
      InetAddress a = InetAddress.getByName("127.0.0.2");
      try (java.net.Socket probe = new java.net.Socket()) {
        probe.bind(new java.net.InetSocketAddress(a, 0));
      }
      return a;
    } catch (IOException e) {
      Assumptions.abort("cannot bind 127.0.0.2 here: " + e.getMessage());
      return null;
    }
  }

  /** A TLS connection to {@code host} through a CONNECT tunnel opened from {@code from}. */
  SSLSocket tunnelFrom(InetAddress from, String host) throws IOException {
    Tls.Tunnel tunnel = Tls.connect(proxy, host + ":443", from);
    assertThat(tunnel.response().status()).isEqualTo(200);
    return Tls.handshake(trust, tunnel.socket(), host, List.of());
  }

  static byte[] get(String host, String pathAndQuery) {
    return RawHttp.head("GET " + pathAndQuery + " HTTP/1.1", "Host: " + host);
  }

  @Test
  void theClientsOwnAddressSurvivesTheTunnelInWeComsErrmsg() throws Exception {
    InetAddress from = otherLoopback();
    String wrong = "/cgi-bin/gettoken?corpid=" + TestServer.CORP + "&corpsecret=wrong";
    try (SSLSocket tls = tunnelFrom(from, "qyapi.weixin.qq.com")) {
      RawHttp.Response r = Tls.exchange(tls, get("qyapi.weixin.qq.com", wrong));
      // Without the PROXY line the TLS listener would see the tunnel's own end, 127.0.0.1.
      assertThat(r.json().path("errmsg").asText()).as(r.text()).contains("from ip: 127.0.0.2,");
    }
    // The control: from 127.0.0.1 it says 127.0.0.1, so the address is the client's, not fixed.
    try (SSLSocket tls = tunnelFrom(InetAddress.getByName("127.0.0.1"), "qyapi.weixin.qq.com")) {
      RawHttp.Response r = Tls.exchange(tls, get("qyapi.weixin.qq.com", wrong));
      assertThat(r.json().path("errmsg").asText()).contains("from ip: 127.0.0.1,");
    }
  }

  @Test
  void theClientsOwnAddressSurvivesTheTunnelInRidGet() throws Exception {
    InetAddress from = otherLoopback();
    String token = server.token("official-account");
    try (SSLSocket tls = tunnelFrom(from, "api.weixin.qq.com")) {
      RawHttp.Response failed = Tls.exchange(
          tls,
          get("api.weixin.qq.com", "/cgi-bin/media/get?access_token=" + token + "&media_id=nope"));
      String rid = failed.json().path("errmsg").asText().replaceAll(".*rid: ", "");
      byte[] body = ("{\"rid\":\"" + rid + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
      RawHttp.Response explained = Tls.exchange(
          tls,
          RawHttp.concat(
              RawHttp.head(
                  "POST /cgi-bin/openapi/rid/get?access_token=" + token + " HTTP/1.1",
                  "Host: api.weixin.qq.com",
                  "Content-Type: application/json",
                  "Content-Length: " + body.length),
              body));
      JsonNode request = explained.json().path("request");
      assertThat(request.path("client_ip").asText()).as(explained.text()).isEqualTo("127.0.0.2");
      assertThat(request.path("request_url").asText()).contains("/cgi-bin/media/get");
    }
  }

  @Test
  void theAccessLogSaysWhichWayEachRequestCameInAndKeepsSecretsOut() throws Exception {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    captured.start();
    root.addAppender(captured);
    try {
      oaToken(client(HttpClient.Version.HTTP_2), "https://api.weixin.qq.com");
      oaToken(client(HttpClient.Version.HTTP_1_1), "http://api.weixin.qq.com");
      // The line is written as the response ends, which may be just after the client read it.
      for (int i = 0; i < 100 && accessLines(captured).size() < 2; i++) {
        Thread.sleep(20);
      }
    } finally {
      root.detachAppender(captured);
    }
    List<String> lines = accessLines(captured);
    assertThat(lines)
        .anySatisfy(l -> assertThat(l).contains("via=proxy-connect path=/cgi-bin/token"))
        .anySatisfy(l -> assertThat(l).contains("via=proxy path=/cgi-bin/token"))
        .allSatisfy(l -> assertThat(l).doesNotContain(TestServer.OA_SECRET));
  }

  static List<String> accessLines(ListAppender<ILoggingEvent> captured) {
    synchronized (captured.list) {
      return captured.list.stream()
          .filter(e -> e.getLoggerName().equals("tempmedia.access"))
          .map(ILoggingEvent::getFormattedMessage)
          .toList();
    }
  }
}
