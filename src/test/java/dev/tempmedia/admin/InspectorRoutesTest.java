package dev.tempmedia.admin;

import static dev.tempmedia.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tempmedia.testing.MediaSamples;
import dev.tempmedia.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The request inspector: every call with its outcome, and for errors a diagnosis in plain words. */
class InspectorRoutesTest {
  @TempDir
  Path data;

  TestServer server;

  @BeforeEach
  void start() {
    server = new TestServer(data);
  }

  @AfterEach
  void stop() {
    if (server != null) { // null when the start was skipped (no redis-server for the scale-out run)
      server.close();
    }
  }

  JsonNode requests(String query) {
    HttpResponse<String> r = server.get("/_tempmedia/requests" + query);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return json(r).path("requests");
  }

  static String rid(HttpResponse<?> answer) {
    String body =
        answer.body() instanceof byte[] b ? new String(b) : answer.body().toString();
    return json(body).path("errmsg").asText().replaceAll(".*rid: ", "");
  }

  JsonNode byRid(String rid) {
    JsonNode found = requests("?rid=" + rid);
    assertThat(found).hasSize(1);
    return found.get(0);
  }

  @Test
  void aSuccessfulUploadIsRecordedWithEveryField() {
    String token = server.token("official-account");
    byte[] jpeg = MediaSamples.jpeg(40, 40);
    server.upload(token, "image", "a.jpg", jpeg);
    JsonNode r = requests("?limit=1").get(0);
    assertThat(r.path("rid").asText()).matches("[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}");
    assertThat(Duration.between(Instant.parse(r.path("time").asText()), Instant.now())
            .abs())
        .isLessThan(Duration.ofMinutes(1));
    assertThat(r.path("method").asText()).isEqualTo("POST");
    assertThat(r.path("path").asText()).isEqualTo("/cgi-bin/media/upload");
    assertThat(r.path("appid").asText()).isEqualTo(TestServer.OA);
    assertThat(r.path("product").asText()).isEqualTo("official-account");
    assertThat(r.path("status").asInt()).isEqualTo(200);
    assertThat(r.path("errcode").asInt()).isZero();
    assertThat(r.path("errmsg").isNull()).isTrue();
    assertThat(r.path("diagnosis").isNull()).isTrue();
    assertThat(r.path("durationMs").asDouble()).isPositive();
    assertThat(r.path("bytesIn").asLong()).isGreaterThan(jpeg.length);
    assertThat(r.path("bytesOut").asLong()).isGreaterThan(50);
  }

  @Test
  void newestFirstAndLimited() {
    for (int i = 0; i < 5; i++) {
      server.get("/cgi-bin/token?grant_type=client_credential&appid=" + TestServer.OA
          + "&secret=wrong" + i);
    }
    JsonNode three = requests("?limit=3");
    assertThat(three).hasSize(3);
    assertThat(Instant.parse(three.get(0).path("time").asText()))
        .isAfterOrEqualTo(Instant.parse(three.get(2).path("time").asText()));
  }

  @Test
  void anExpiredMediaIdSaysWhenItExpiredAndHowLongAgo() {
    String token = server.token("official-account");
    String mediaId = json(server.upload(token, "image", "a.jpg", MediaSamples.jpeg(20, 20)))
        .path("media_id")
        .asText();
    server.clock().advance(Duration.ofHours(77));
    String fresh = server.token("official-account");
    JsonNode r = byRid(rid(server.download(fresh, mediaId)));
    assertThat(r.path("errcode").asInt()).isEqualTo(40007);
    assertThat(r.path("errmsg").asText()).startsWith("invalid media_id rid: ");
    assertThat(r.path("diagnosis").asText())
        .containsPattern("media_id expired at \\d{4}-\\d\\d-\\d\\dT.*, 5 h ago");
  }

  @Test
  void aSupersededTokenSaysWhenItsGraceEnded() {
    String first = server.token("official-account");
    server.token("official-account");
    server.clock().advance(Duration.ofMinutes(6));
    JsonNode r = byRid(rid(server.download(first, "x")));
    assertThat(r.path("errcode").asInt()).isEqualTo(40001);
    assertThat(r.path("diagnosis").asText())
        .contains("superseded by one issued at")
        .contains("the grace ended at");
  }

  @Test
  void aPngAsThumbSaysWhatTheTypeTakes() {
    String token = server.token("official-account");
    JsonNode r = byRid(rid(server.upload(token, "thumb", "t.png", MediaSamples.png(20, 20))));
    assertThat(r.path("errcode").asInt()).isNotZero();
    assertThat(r.path("diagnosis").asText())
        .containsIgnoringCase("png")
        .containsIgnoringCase("jpeg")
        .contains("thumb");
  }

  @Test
  void anotherAppsMediaNamesBothApps() {
    String oa = server.token("official-account");
    String mediaId = json(server.upload(oa, "image", "a.jpg", MediaSamples.jpeg(20, 20)))
        .path("media_id")
        .asText();
    String mp = server.token("mini-program");
    JsonNode r = byRid(rid(server.download(mp, mediaId)));
    assertThat(r.path("appid").asText()).isEqualTo(TestServer.MP);
    assertThat(r.path("diagnosis").asText())
        .contains("media belongs to official-account app " + TestServer.OA)
        .contains("the token is for " + TestServer.MP);
  }

  @Test
  void filtersByAppidAndErrcode() {
    String oa = server.token("official-account");
    server.download(oa, "x");
    server.download(server.token("wecom"), "x");
    JsonNode wecom = requests("?appid=" + TestServer.CORP);
    assertThat(wecom)
        .isNotEmpty()
        .allSatisfy(r -> assertThat(r.path("appid").asText()).isEqualTo(TestServer.CORP));
    JsonNode refused = requests("?errcode=40007");
    assertThat(refused)
        .hasSize(2)
        .allSatisfy(r -> assertThat(r.path("errcode").asInt()).isEqualTo(40007));
    assertThat(requests("?appid=" + TestServer.OA + "&errcode=40007")).hasSize(1);
    assertThat(requests("?rid=00000000-00000000-00000000")).isEmpty();
  }

  @Test
  void badFiltersAre400() {
    assertThat(server.get("/_tempmedia/requests?errcode=abc").statusCode()).isEqualTo(400);
    assertThat(server.get("/_tempmedia/requests?limit=ten").statusCode()).isEqualTo(400);
  }

  @Test
  void tokensAndSecretsNeverAppearInTheInspector() {
    String token = server.token("official-account");
    server.upload(token, "image", "a.jpg", MediaSamples.jpeg(20, 20));
    server.download(token, "x");
    server.get("/cgi-bin/token?grant_type=client_credential&appid=" + TestServer.OA + "&secret="
        + TestServer.OA_SECRET + "x");
    server.get(
        "/cgi-bin/gettoken?corpid=" + TestServer.CORP + "&corpsecret=" + TestServer.CORP_SECRET);
    server.postJson(
        "/cgi-bin/stable_token",
        "{\"grant_type\":\"client_credential\",\"appid\":\"" + TestServer.MP + "\",\"secret\":\""
            + TestServer.MP_SECRET + "\"}");
    String all = server.get("/_tempmedia/requests?limit=1000").body();
    assertThat(all)
        .doesNotContain(token)
        .doesNotContain(TestServer.OA_SECRET)
        .doesNotContain(TestServer.CORP_SECRET)
        .doesNotContain(TestServer.MP_SECRET)
        .doesNotContain("access_token=");
  }

  @Test
  void keepsOnlyTheConfiguredNumberOfRequests(@TempDir Path other) {
    try (TestServer small = new TestServer(other, Map.of("inspector.capacity", "3"))) {
      for (int i = 0; i < 10; i++) {
        small.get("/cgi-bin/token?grant_type=client_credential&appid=" + TestServer.OA
            + "&secret=no" + i);
      }
      assertThat(json(small.get("/_tempmedia/requests?limit=100")).path("requests"))
          .hasSize(3);
    }
  }

  @Test
  void operatorCallsAreNotRecorded() {
    server.get("/_tempmedia/health");
    server.get("/_tempmedia/apps");
    assertThat(requests("")).isEmpty();
  }
}
