package dev.tempmedia.it;

import static dev.tempmedia.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tempmedia.testing.MediaSamples;
import dev.tempmedia.testing.Multipart;
import dev.tempmedia.testing.RawHttp;
import dev.tempmedia.testing.TestServer;
import dev.tempmedia.testing.Tls;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC §11 says every way in reaches the same routes, limits, faults and metrics: through the
 * proxy's tunnels an idle connection is closed after {@code server.idleTimeout}, an upload over its
 * cap is refused exactly as on the plain port, and fault rules and the metrics see tunnelled requests.
 */
class InterceptionLimitsTest {
  static final String API = "api.weixin.qq.com";

  @TempDir
  Path data;

  TestServer server;
  SSLContext trust;

  void start(Map<String, String> extra) {
    Map<String, String> flags = new java.util.HashMap<>(extra);
    flags.put("server.https.port", "0");
    flags.put("server.proxy.port", "0");
    server = new TestServer(data, flags);
    trust = Tls.trusting(server.get("/_tempmedia/ca.pem").body());
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  SSLSocket tunnel() throws IOException {
    Tls.Tunnel t = Tls.connect(server.server().proxyPort(), API + ":443");
    assertThat(t.response().status()).isEqualTo(200);
    return Tls.handshake(trust, t.socket(), API, List.of());
  }

  /**
   * Waits for the peer to close {@code in}; the milliseconds it took. A read timeout (10 s) fails:
   * the connection was left open.
   */
  static long millisUntilClosed(Socket socket, InputStream in) throws IOException {
    socket.setSoTimeout(10_000);
    long started = System.nanoTime();
    try {
      assertThat(in.read()).as("nothing but the end of the stream").isEqualTo(-1);
    } catch (SocketTimeoutException stillOpen) {
      throw new AssertionError("the idle tunnel was still open after 10 s", stillOpen);
    } catch (IOException reset) {
      // an abrupt close (reset, or TLS without close_notify) is a close too
    }
    return (System.nanoTime() - started) / 1_000_000;
  }

  @Test
  void anIdleTunnelIsClosedAfterTheIdleTimeout() throws Exception {
    start(Map.of("server.idleTimeout", "2"));
    try (SSLSocket tls = tunnel()) {
      RawHttp.Response first =
          Tls.exchange(tls, RawHttp.head("GET /_tempmedia/health HTTP/1.1", "Host: " + API));
      assertThat(first.status()).isEqualTo(200);
      long waited = millisUntilClosed(tls, tls.getInputStream());
      assertThat(waited).as("closed by the idle timer, not at once").isBetween(1_000L, 6_000L);
    }
  }

  @Test
  void aTunnelThatNeverStartsTlsIsClosedAfterTheIdleTimeoutToo() throws Exception {
    start(Map.of("server.idleTimeout", "2"));
    try (Tls.Tunnel t = Tls.connect(server.server().proxyPort(), API + ":443")) {
      assertThat(t.response().status()).isEqualTo(200);
      long waited = millisUntilClosed(t.socket(), t.socket().getInputStream());
      assertThat(waited).isBetween(1_000L, 6_000L);
    }
  }

  @Test
  void aTunnelInUseOutlivesTheIdleTimeout() throws Exception {
    start(Map.of("server.idleTimeout", "2"));
    try (SSLSocket tls = tunnel()) {
      // Six requests a second apart: three idle timeouts' worth, never idle for one.
      for (int i = 0; i < 6; i++) {
        RawHttp.Response r =
            Tls.exchange(tls, RawHttp.head("GET /_tempmedia/health HTTP/1.1", "Host: " + API));
        assertThat(r.status()).as("request %d", i).isEqualTo(200);
        Thread.sleep(1_000);
      }
    }
  }

  /** A thumb (64 KB) form of 300 KB, sent as {@code head} and then its body, with a Content-Length or chunked. */
  static RawHttp.Writer overCapUpload(String token, boolean chunked) {
    Multipart form = new Multipart()
        .media(
            "thumb.jpg",
            MediaSamples.padTo(
                MediaSamples.jpeg(32, 32),
                dev.tempmedia.media.format.MediaFormat.JPEG,
                300 * 1024));
    byte[] body = form.close();
    String line = "POST /cgi-bin/media/upload?access_token=" + token + "&type=thumb HTTP/1.1";
    return out -> {
      if (!chunked) {
        out.write(RawHttp.head(
            line,
            "Host: " + API,
            "Content-Type: " + form.contentType(),
            "Content-Length: " + body.length));
        out.write(body);
        return;
      }
      out.write(RawHttp.head(
          line,
          "Host: " + API,
          "Content-Type: " + form.contentType(),
          "Transfer-Encoding: chunked"));
      for (int at = 0; at < body.length; at += 8192) {
        int n = Math.min(8192, body.length - at);
        out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body, at, n);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
      }
      out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    };
  }

  static RawHttp.Writer hugeDeclaredUpload(String token) {
    return out -> out.write(RawHttp.head(
        "POST /cgi-bin/media/upload?access_token=" + token + "&type=image HTTP/1.1",
        "Host: " + API,
        "Content-Type: " + new Multipart().contentType(),
        "Content-Length: 100000000000"));
  }

  /** The errcode and the errmsg without its rid. */
  static String refusal(RawHttp.Response r) {
    JsonNode answer = r.json();
    return r.status() + " " + answer.path("errcode").asInt() + " "
        + answer.path("errmsg").asText().replaceAll(" rid: .*", "");
  }

  @Test
  void anUploadOverItsCapIsRefusedThroughTheTunnelAsOnThePlainPort() throws Exception {
    start(Map.of());
    String token = server.token("official-account");
    // thumb over 64 KB: 40012, by Content-Length or while streaming; anything over the hard cap:
    // 45001
    Map<RawHttp.Writer, String> uploads = Map.of(
        overCapUpload(token, false), "200 40012 ",
        overCapUpload(token, true), "200 40012 ",
        hugeDeclaredUpload(token), "200 45001 ");
    for (Map.Entry<RawHttp.Writer, String> upload : uploads.entrySet()) {
      RawHttp.Response plain = RawHttp.exchange(server.server().port(), upload.getKey(), false);
      RawHttp.Response tunnelled;
      try (SSLSocket tls = tunnel()) {
        tunnelled = Tls.exchange(tls, upload.getKey());
      }
      assertThat(refusal(plain)).startsWith(upload.getValue());
      assertThat(refusal(tunnelled)).isEqualTo(refusal(plain));
    }
    assertThat(server.storedObjectCount())
        .as("nothing of a refused upload is kept")
        .isZero();
    JsonNode recent = json(server.get("/_tempmedia/requests?limit=6")).path("requests");
    assertThat(recent.findValuesAsText("via"))
        .containsOnly("http", "proxy-connect")
        .hasSize(6);
  }

  String addRule(String json) {
    HttpResponse<String> r = server.postJson("/_tempmedia/faults", json);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return json(r).path("id").asText();
  }

  static double metric(String text, String series) {
    Matcher m =
        Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$").matcher(text);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  @Test
  void aFaultRuleFiresForAnUploadThroughTheTunnelAndTheMetricsCountIt() throws Exception {
    start(Map.of());
    String id = addRule("{\"path\":\"/cgi-bin/media/upload\",\"errcode\":-1,\"times\":1}");
    HttpClient client =
        Tls.throughProxy(server.server().proxyPort(), trust, HttpClient.Version.HTTP_2);
    String token = server.token("official-account");
    Multipart form = new Multipart().media("a.jpg", MediaSamples.jpeg(16, 16));
    byte[] body = form.close();
    HttpRequest upload = HttpRequest.newBuilder(URI.create(
            "https://api.weixin.qq.com/cgi-bin/media/upload?access_token=" + token + "&type=image"))
        .header("Content-Type", form.contentType())
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .timeout(java.time.Duration.ofSeconds(30))
        .build();

    JsonNode failed =
        json(client.send(upload, HttpResponse.BodyHandlers.ofString()).body());
    assertThat(failed.path("errcode").asInt()).as(failed.toString()).isEqualTo(-1);
    JsonNode worked =
        json(client.send(upload, HttpResponse.BodyHandlers.ofString()).body());
    assertThat(worked.path("media_id").asText()).hasSize(64);

    JsonNode rule = json(server.get("/_tempmedia/faults")).path("faults").get(0);
    assertThat(rule.path("id").asText()).isEqualTo(id);
    assertThat(rule.path("fired").asInt()).isEqualTo(1);
    String metrics = server.get("/metrics").body();
    String endpoint =
        "tempmedia_requests_seconds_count{endpoint=\"/cgi-bin/media/upload\",errcode=";
    assertThat(metric(metrics, endpoint + "\"-1\"}")).isEqualTo(1);
    assertThat(metric(metrics, endpoint + "\"0\"}")).isEqualTo(1);
  }

  @Test
  void aDropRuleClosesTheClientsConnectionThroughTheTunnel() throws Exception {
    start(Map.of());
    addRule("{\"path\":\"/cgi-bin/media/get\",\"drop\":true,\"times\":1}");
    String token = server.token("official-account");
    try (SSLSocket tls = tunnel()) {
      OutputStream out = tls.getOutputStream();
      out.write(RawHttp.head(
          "GET /cgi-bin/media/get?access_token=" + token + "&media_id=x HTTP/1.1", "Host: " + API));
      out.flush();
      // The drop reaches the client: its end of the tunnel closes with no answer.
      assertThatThrownBy(() -> RawHttp.read(tls.getInputStream(), false))
          .isInstanceOf(IOException.class)
          .isNotInstanceOf(SocketTimeoutException.class);
    }
    JsonNode seen =
        json(server.get("/_tempmedia/requests?limit=1")).path("requests").get(0);
    assertThat(seen.path("via").asText()).isEqualTo("proxy-connect");
    assertThat(seen.path("diagnosis").asText()).contains("connection dropped on purpose");
  }

  @Test
  void latencyAppliesOverHttps() throws Exception {
    start(Map.of());
    addRule("{\"path\":\"/cgi-bin/token\",\"latencyMs\":400,\"times\":1}");
    long started = System.nanoTime();
    try (SSLSocket tls = Tls.handshake(trust, server.server().httpsPort(), API)) {
      RawHttp.Response r = Tls.exchange(
          tls,
          RawHttp.head(
              "GET /cgi-bin/token?grant_type=client_credential&appid=" + TestServer.OA + "&secret="
                  + TestServer.OA_SECRET + " HTTP/1.1",
              "Host: " + API));
      assertThat(r.json().path("access_token").asText()).isNotEmpty();
    }
    assertThat((System.nanoTime() - started) / 1_000_000).isGreaterThanOrEqualTo(400);
  }
}
