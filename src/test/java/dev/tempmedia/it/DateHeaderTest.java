package dev.tempmedia.it;

import static dev.tempmedia.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tempmedia.admin.OperatorApi;
import dev.tempmedia.http.WeChatApi;
import dev.tempmedia.http.semantics.HttpDate;
import dev.tempmedia.testing.H2cUpgrade;
import dev.tempmedia.testing.MediaSamples;
import dev.tempmedia.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC §13: every kind of answer carries a Date header in IMF-fixdate that reads the server clock,
 * so a clock moved 400 days shows in it.
 */
class DateHeaderTest {
  private static final Duration MOVED = Duration.ofDays(400);

  @TempDir
  Path data;

  TestServer server;

  @BeforeEach
  void start() {
    server = new TestServer(data);
    HttpResponse<String> moved =
        server.postJson(OperatorApi.CLOCK, "{\"advance\":\"P" + MOVED.toDays() + "D\"}");
    assertThat(moved.statusCode()).as(moved.body()).isEqualTo(200);
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  /** The header is there once, in IMF-fixdate, and within a second of the moved clock. */
  private static void assertMovedDate(String what, HttpHeaders headers) {
    assertThat(headers.allValues("Date")).as(what).hasSize(1);
    String value = headers.firstValue("Date").orElseThrow();
    assertThat(value)
        .as(what)
        .matches(
            "(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d\\d [A-Z][a-z]{2} \\d{4} \\d\\d:\\d\\d:\\d\\d GMT");
    Instant date = HttpDate.parse(value).orElseThrow();
    Instant expected = Instant.now().plus(MOVED);
    assertThat(Duration.between(date, expected).abs())
        .as(what + ": " + value)
        .isLessThanOrEqualTo(Duration.ofMillis(1999));
  }

  @Test
  void everyKindOfAnswerCarriesTheMovedClocksDate() {
    HttpResponse<String> token = server.get(WeChatApi.tokenRequest(
        dev.tempmedia.wechat.TokenFamily.APP_SECRET, TestServer.OA, TestServer.OA_SECRET));
    assertMovedDate("token", token.headers());
    String oa = json(token).path("access_token").asText();

    HttpResponse<String> upload = server.upload(oa, "image", "a.jpg", MediaSamples.jpeg(40, 30));
    assertMovedDate("upload", upload.headers());
    String mediaId = json(upload).path("media_id").asText();

    HttpResponse<byte[]> whole = server.download(oa, mediaId);
    assertThat(whole.statusCode()).isEqualTo(200);
    assertMovedDate("download 200", whole.headers());
    HttpResponse<byte[]> part = server.download(oa, mediaId, "Range", "bytes=0-9");
    assertThat(part.statusCode()).isEqualTo(206);
    assertMovedDate("download 206", part.headers());
    String etag = whole.headers().firstValue("ETag").orElseThrow();
    HttpResponse<byte[]> same = server.download(oa, mediaId, "If-None-Match", etag);
    assertThat(same.statusCode()).isEqualTo(304);
    assertMovedDate("download 304", same.headers());

    HttpResponse<byte[]> refused = server.download("forged", mediaId);
    assertThat(json(new String(refused.body())).path("errcode").asInt()).isEqualTo(40001);
    assertMovedDate("WeChat error", refused.headers());

    HttpResponse<String> wecom =
        server.get(WeChatApi.WECOM_TOKEN + "?corpid=" + TestServer.CORP + "&corpsecret=wrong");
    assertThat(wecom.headers().firstValue("Error-Code")).hasValue("40001");
    assertMovedDate("WeCom error", wecom.headers());

    HttpResponse<String> missing = server.get("/cgi-bin/no/such/path");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertMovedDate("404", missing.headers());
    HttpResponse<String> missingOperator = server.get("/_tempmedia/no-such-thing");
    assertThat(missingOperator.statusCode()).isEqualTo(404);
    assertMovedDate("operator 404", missingOperator.headers());

    HttpResponse<String> info = server.get(OperatorApi.INFO);
    assertThat(info.statusCode()).isEqualTo(200);
    assertMovedDate("operator JSON", info.headers());
    HttpResponse<String> console = server.get(OperatorApi.CONSOLE + "/");
    assertThat(console.statusCode()).isEqualTo(200);
    assertMovedDate("console page", console.headers());
    HttpResponse<String> metrics = server.get(OperatorApi.METRICS);
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertMovedDate("metrics", metrics.headers());
  }

  @Test
  void http2AnswersCarryItToo() throws Exception {
    H2cUpgrade.Upgraded<String> upgrade = H2cUpgrade.send(
        HttpRequest.newBuilder(URI.create(server.url(OperatorApi.HEALTH))).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    HttpClient h2 = upgrade.client();
    HttpResponse<String> upgraded = upgrade.answer();
    String oa = server.token("official-account");
    String mediaId = json(server.upload(oa, "image", "a.jpg", MediaSamples.jpeg(40, 30)))
        .path("media_id")
        .asText();
    HttpResponse<byte[]> download = h2.send(
        HttpRequest.newBuilder(URI.create(
                server.url(WeChatApi.MEDIA_GET + "?access_token=" + oa + "&media_id=" + mediaId)))
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(download.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThat(download.statusCode()).isEqualTo(200);
    assertMovedDate("HTTP/2 download", download.headers());
    HttpResponse<String> error = h2.send(
        HttpRequest.newBuilder(URI.create(server.url(WeChatApi.MEDIA_GET + "?access_token=x")))
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(error.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertMovedDate("HTTP/2 error", error.headers());
    assertMovedDate("HTTP/2 upgrade", upgraded.headers());
  }
}
