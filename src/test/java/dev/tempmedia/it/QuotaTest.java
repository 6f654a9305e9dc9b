package dev.tempmedia.it;

import static dev.tempmedia.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tempmedia.admin.OperatorApi;
import dev.tempmedia.http.WeChatApi;
import dev.tempmedia.testing.MediaSamples;
import dev.tempmedia.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SPEC §13: daily quotas (45009), clear_quota, openapi/quota/get and openapi/rid/get over raw HTTP. */
class QuotaTest {
  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

  @TempDir
  Path data;

  TestServer server;

  @BeforeEach
  void start() {
    server = TestServer.withConfig(data, """
        quotas:
          /cgi-bin/media/upload: 3
          /cgi-bin/media/get: 100
        """);
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private JsonNode upload(String token) {
    return json(server.upload(token, "image", "a.jpg", MediaSamples.jpeg(20, 20)));
  }

  private JsonNode post(String path, String token, String body) {
    HttpResponse<String> r = server.postJson(path + "?access_token=" + token, body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return json(r);
  }

  private JsonNode quota(String token, String path) {
    return post(WeChatApi.QUOTA_GET, token, "{\"cgi_path\":\"" + path + "\"}");
  }

  @Test
  void theCallAfterTheQuotaAnswers45009UntilClearQuota() {
    String oa = server.token("official-account");
    for (int i = 0; i < 3; i++) {
      assertThat(upload(oa).path("media_id").asText()).isNotEmpty();
    }
    JsonNode over = upload(oa);
    assertThat(over.path("errcode").asInt()).isEqualTo(45009);
    assertThat(over.path("errmsg").asText()).startsWith("reach max api daily quota limit rid: ");
    assertThat(over.path("media_id").isMissingNode()).isTrue();
    LocalDate today = LocalDate.now(SHANGHAI);
    JsonNode seen = json(server.get(OperatorApi.REQUESTS + "?errcode=45009&limit=1"))
        .path("requests")
        .get(0);
    assertThat(seen.path("diagnosis").asText())
        .isEqualTo(
            "media/upload: 3 of 3 calls today; resets at " + today.plusDays(1) + "T00:00+08:00");

    JsonNode q = quota(oa, WeChatApi.MEDIA_UPLOAD);
    assertThat(q.path("errcode").asInt()).isZero();
    assertThat(q.path("quota").path("daily_limit").asLong()).isEqualTo(3);
    assertThat(q.path("quota").path("used").asLong())
        .as("the refused call is not counted")
        .isEqualTo(3);
    assertThat(q.path("quota").path("remain").asLong()).isZero();

    JsonNode view = json(server.get(OperatorApi.QUOTAS + "?appid=" + TestServer.OA));
    assertThat(view.path("resetsAt").asText()).isEqualTo(today.plusDays(1) + "T00:00+08:00");
    JsonNode rows = view.path("apps").get(0).path("quotas");
    assertThat(rows.toString())
        .contains("{\"path\":\"/cgi-bin/media/upload\",\"dailyLimit\":3,\"used\":3,\"remain\":0}");
    assertThat(server.get(OperatorApi.QUOTAS + "?appid=wxnobody").statusCode()).isEqualTo(404);

    // Another app has its own counters.
    String mp = server.token("mini-program");
    assertThat(upload(mp).path("errcode").asInt()).isZero();

    JsonNode cleared = post(WeChatApi.CLEAR_QUOTA, oa, "{\"appid\":\"" + TestServer.OA + "\"}");
    assertThat(cleared.path("errcode").asInt()).isZero();
    assertThat(cleared.path("errmsg").asText()).isEqualTo("ok");
    assertThat(upload(oa).path("media_id").asText()).isNotEmpty();
    assertThat(quota(oa, WeChatApi.MEDIA_UPLOAD).path("quota").path("used").asLong())
        .isEqualTo(1);
  }

  @Test
  void movingTheClockPastMidnightInShanghaiResetsTheCounters() {
    String oa = server.token("official-account");
    Instant lateEvening =
        LocalDate.now(SHANGHAI).plusDays(2).atTime(23, 59, 0).atZone(SHANGHAI).toInstant();
    assertThat(server
            .postJson(OperatorApi.CLOCK, "{\"set\":\"" + lateEvening + "\"}")
            .statusCode())
        .isEqualTo(200);
    oa = server.token("official-account");
    for (int i = 0; i < 3; i++) {
      upload(oa);
    }
    assertThat(upload(oa).path("errcode").asInt()).isEqualTo(45009);
    server.postJson(OperatorApi.CLOCK, "{\"advance\":\"PT2M\"}");
    assertThat(upload(oa).path("media_id").asText()).isNotEmpty();
    assertThat(quota(oa, WeChatApi.MEDIA_UPLOAD).path("quota").path("used").asLong())
        .isEqualTo(1);
  }

  @Test
  void wecomIsRefusedInItsOwnFlavour() {
    String corp = server.token("wecom");
    for (int i = 0; i < 3; i++) {
      upload(corp);
    }
    HttpResponse<String> over = server.upload(corp, "image", "a.jpg", MediaSamples.jpeg(20, 20));
    assertThat(json(over).path("errcode").asInt()).isEqualTo(45009);
    assertThat(json(over).path("errmsg").asText()).contains(", hint: [");
    assertThat(over.headers().firstValue("Error-Code")).hasValue("45009");
    // and the openapi management calls are not WeCom's
    assertThat(quota(corp, WeChatApi.MEDIA_UPLOAD).path("errcode").asInt()).isEqualTo(48001);
  }

  @Test
  void badInputAnswersWeChatsCodesAndChangesNothing() {
    String oa = server.token("official-account");
    upload(oa);
    assertThat(quota(oa, "/cgi-bin/no/such/api").path("errcode").asInt()).isEqualTo(76021);
    assertThat(post(WeChatApi.QUOTA_GET, oa, "{not json").path("errcode").asInt())
        .isEqualTo(47001);
    assertThat(post(WeChatApi.CLEAR_QUOTA, oa, "{\"appid\":\"" + TestServer.MP + "\"}")
            .path("errcode")
            .asInt())
        .isEqualTo(40013);
    assertThat(post(WeChatApi.CLEAR_QUOTA, oa, "{}").path("errcode").asInt()).isEqualTo(41002);
    assertThat(post(WeChatApi.CLEAR_QUOTA, "forged", "{\"appid\":\"" + TestServer.OA + "\"}")
            .path("errcode")
            .asInt())
        .isEqualTo(40001);
    assertThat(quota(oa, WeChatApi.MEDIA_UPLOAD).path("quota").path("used").asLong())
        .as("nothing was cleared")
        .isEqualTo(1);
    JsonNode unlimited = quota(oa, WeChatApi.CLOUD_GET_TEMP_MEDIA).path("quota");
    assertThat(unlimited.path("daily_limit").asLong()).isZero();
  }

  @Test
  void ridGetExplainsTheAppsOwnRequestsOnly() {
    String oa = server.token("official-account");
    JsonNode error = json(
        server.download(oa, "no-such-media-id").body() == null
            ? "{}"
            : new String(server.download(oa, "no-such-media-id").body()));
    assertThat(error.path("errcode").asInt()).isEqualTo(40007);
    String rid = error.path("errmsg").asText().replaceAll(".* rid: ", "");

    JsonNode explained = post(WeChatApi.RID_GET, oa, "{\"rid\":\"" + rid + "\"}");
    assertThat(explained.path("errcode").asInt()).as(explained.toString()).isZero();
    JsonNode request = explained.path("request");
    assertThat(request.path("request_url").asText())
        .isEqualTo(WeChatApi.MEDIA_GET + "?media_id=no-such-media-id");
    assertThat(request.path("response_body").asText()).contains("40007").contains(rid);
    assertThat(request.path("invoke_time").asLong())
        .isCloseTo(Instant.now().getEpochSecond(), org.assertj.core.data.Offset.offset(5L));
    assertThat(request.path("client_ip").asText()).isEqualTo("127.0.0.1");
    assertThat(request.toString()).doesNotContain(oa).doesNotContain(TestServer.OA_SECRET);

    // Another app, a request without a valid token, a malformed rid, an unknown one.
    String mp = server.token("mini-program");
    JsonNode other = post(WeChatApi.RID_GET, mp, "{\"rid\":\"" + rid + "\"}");
    assertThat(other.path("errcode").asInt()).isEqualTo(76003);
    assertThat(other.path("request").isMissingNode()).isTrue();
    String forgedRid = json(new String(server.download("forged", "x").body()))
        .path("errmsg")
        .asText()
        .replaceAll(".* rid: ", "");
    assertThat(post(WeChatApi.RID_GET, oa, "{\"rid\":\"" + forgedRid + "\"}")
            .path("errcode")
            .asInt())
        .isEqualTo(76003);
    String tokenRid = server.postJson(WeChatApi.STABLE_TOKEN, "{}").body();
    assertThat(tokenRid).contains("rid: ");
    assertThat(post(WeChatApi.RID_GET, oa, "{\"rid\":\"nonsense\"}")
            .path("errcode")
            .asInt())
        .isEqualTo(76002);
    assertThat(post(WeChatApi.RID_GET, oa, "{\"rid\":\"00000000-00000000-00000000\"}")
            .path("errcode")
            .asInt())
        .isEqualTo(76001);

    // Seven days later the rid is gone.
    server.postJson(OperatorApi.CLOCK, "{\"advance\":\"P7DT1M\"}");
    String later = server.token("official-account");
    assertThat(post(WeChatApi.RID_GET, later, "{\"rid\":\"" + rid + "\"}")
            .path("errcode")
            .asInt())
        .isEqualTo(76001);
  }
}
