package dev.tempmedia.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tempmedia.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** SPEC §2 and the token rows of §6, over real HTTP. */
class TokenEndpointsTest {
  static final String OA = "wx0000000000000001";
  static final String OA_SECRET = "devsecret00000000000000000000001";
  static final String MP = "wx0000000000000002";
  static final String MP_SECRET = "devsecret00000000000000000000002";
  static final String CORP = "ww0000000000000003";
  static final String CORP_SECRET = "devsecret00000000000000000000003";
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path data;

  TestServer server;

  @BeforeEach
  void start() {
    // A clock that moves only when a test moves it: the grace boundaries are checked to the second,
    // and real time crossing a second between two calls would shift them.
    server = new TestServer(
        data,
        java.util.Map.of(),
        new dev.tempmedia.clock.ServerClock(
            java.time.Clock.fixed(java.time.Instant.now(), java.time.ZoneOffset.UTC)));
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  static JsonNode json(HttpResponse<String> response) {
    try {
      return JSON.readTree(response.body());
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + response.body(), e);
    }
  }

  String token(String appid, String secret) {
    JsonNode body = json(server.get(
        "/cgi-bin/token?grant_type=client_credential&appid=" + appid + "&secret=" + secret));
    assertThat(body.has("errcode")).as("no errcode on success: %s", body).isFalse();
    assertThat(body.get("expires_in").asInt()).isEqualTo(7200);
    return body.get("access_token").asText();
  }

  /** The errcode a media call would answer for this token (0 when it is accepted). */
  int check(String token) {
    try {
      server.server().tokens().authenticate(token).toCompletableFuture().join();
      return 0;
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof dev.tempmedia.wechat.WeChatException refused) {
        return refused.error().code();
      }
      throw e;
    }
  }

  @Test
  void supersededTokenKeepsFiveMinutesOfGrace() {
    String first = token(OA, OA_SECRET);
    server.clock().advance(Duration.ofSeconds(10));
    String second = token(OA, OA_SECRET);
    assertThat(check(first)).isZero();
    assertThat(check(second)).isZero();
    server.clock().advance(Duration.ofSeconds(299));
    assertThat(check(first)).isZero();
    server.clock().advance(Duration.ofSeconds(1));
    assertThat(check(first)).isEqualTo(40001);
    assertThat(check(second)).isZero();
    String third = token(OA, OA_SECRET);
    String fourth = token(OA, OA_SECRET);
    assertThat(check(second)).as("only the previous token has a grace").isEqualTo(40001);
    assertThat(check(third)).isZero();
    assertThat(check(fourth)).isZero();
  }

  @Test
  void tokenExpiresAfter7200Seconds() {
    String token = token(OA, OA_SECRET);
    server.clock().advance(Duration.ofSeconds(7199));
    assertThat(check(token)).isZero();
    server.clock().advance(Duration.ofSeconds(1));
    assertThat(check(token)).isEqualTo(42001);
  }

  @Test
  void forceRefreshEndsTheOldStableTokenAtOnce() {
    String body = "{\"grant_type\":\"client_credential\",\"appid\":\"" + OA + "\",\"secret\":\""
        + OA_SECRET + "\",\"force_refresh\":true}";
    String old =
        json(server.postJson("/cgi-bin/stable_token", body)).get("access_token").asText();
    String fresh =
        json(server.postJson("/cgi-bin/stable_token", body)).get("access_token").asText();
    assertThat(check(old)).isEqualTo(40001);
    assertThat(check(fresh)).isZero();
  }

  @Test
  void invalidatedWecomTokenAnswers40014AndTheNextCallIssuesANewOne() {
    String token = json(server.get(
            "/cgi-bin/gettoken?corpid=" + CORP + "&corpsecret=" + CORP_SECRET))
        .get("access_token")
        .asText();
    assertThat(check(token)).isZero();
    server
        .server()
        .tokens()
        .invalidateAll(server.server().apps().find(CORP).orElseThrow())
        .toCompletableFuture()
        .join();
    assertThat(check(token)).isEqualTo(40014);
    String fresh = json(server.get(
            "/cgi-bin/gettoken?corpid=" + CORP + "&corpsecret=" + CORP_SECRET))
        .get("access_token")
        .asText();
    assertThat(fresh).isNotEqualTo(token);
    assertThat(check(fresh)).isZero();
  }

  @Test
  void tokensSurviveARestart() {
    String plain = token(OA, OA_SECRET);
    String stable = json(server.postJson(
            "/cgi-bin/stable_token",
            "{\"grant_type\":\"client_credential\",\"appid\":\"" + MP + "\",\"secret\":\""
                + MP_SECRET + "\"}"))
        .get("access_token")
        .asText();
    server.restart();
    assertThat(check(plain)).isZero();
    assertThat(check(stable)).isZero();
    assertThat(json(server.postJson(
                "/cgi-bin/stable_token",
                "{\"grant_type\":\"client_credential\",\"appid\":\"" + MP + "\",\"secret\":\""
                    + MP_SECRET + "\"}"))
            .get("access_token")
            .asText())
        .isEqualTo(stable);
  }

  @Test
  void tamperedTokensAreRejected() {
    String token = token(OA, OA_SECRET);
    assertThat(check(null)).isEqualTo(41001);
    assertThat(check("")).isEqualTo(41001);
    assertThat(check("garbage")).isEqualTo(40001);
    assertThat(check("x".repeat(5000))).isEqualTo(40001);
    java.util.Random random = new java.util.Random(42);
    byte[] raw = java.util.Base64.getUrlDecoder().decode(token);
    for (int i = 0; i < 500; i++) {
      byte[] flipped = raw.clone();
      int bit = random.nextInt(flipped.length * 8);
      flipped[bit / 8] ^= (byte) (1 << (bit % 8));
      assertThat(check(java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(flipped)))
          .as("bit %d flipped", bit)
          .isEqualTo(40001);
    }
  }

  @Test
  void tokenHasWeChatShapeAndHeaders() {
    HttpResponse<String> r = server.get(
        "/cgi-bin/token?grant_type=client_credential&appid=" + OA + "&secret=" + OA_SECRET);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json; encoding=utf-8");
    JsonNode body = json(r);
    assertThat(body.fieldNames()).toIterable().containsExactly("access_token", "expires_in");
    String token = body.get("access_token").asText();
    assertThat(token).matches("[A-Za-z0-9_-]+").hasSizeLessThanOrEqualTo(512);
  }

  @Test
  void everyCallIssuesANewToken() {
    assertThat(token(OA, OA_SECRET)).isNotEqualTo(token(OA, OA_SECRET));
    assertThat(token(MP, MP_SECRET)).isNotEqualTo(token(OA, OA_SECRET));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "appid missing|grant_type=client_credential&secret=s|41002|appid missing",
        "appid empty|grant_type=client_credential&appid=&secret=s|41002|appid missing",
        "unknown appid|grant_type=client_credential&appid=wxnope&secret=s|40013|invalid appid",
        "unknown before secret|grant_type=client_credential&appid=wxnope|40013|invalid appid",
        "wecom corp on token|grant_type=client_credential&appid=ww0000000000000003&secret=devsecret00000000000000000000003|40013|invalid appid",
        "secret missing|grant_type=client_credential&appid=wx0000000000000001|41004|appsecret missing",
        "secret missing before grant_type|grant_type=nope&appid=wx0000000000000001|41004|appsecret missing",
        "grant_type wrong|grant_type=nope&appid=wx0000000000000001&secret=bad|40002|invalid grant_type",
        "grant_type missing|appid=wx0000000000000001&secret=bad|40002|invalid grant_type",
        "wrong secret|grant_type=client_credential&appid=wx0000000000000001&secret=bad|40125|invalid appsecret",
      })
  void tokenErrorsInWeChatOrder(String name, String query, int errcode, String text) {
    HttpResponse<String> r = server.get("/cgi-bin/token?" + query);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json; encoding=utf-8");
    JsonNode body = json(r);
    assertThat(body.fieldNames()).toIterable().containsExactly("errcode", "errmsg");
    assertThat(body.get("errcode").asInt()).isEqualTo(errcode);
    assertThat(body.get("errmsg").asText())
        .matches(java.util.regex.Pattern.quote(text) + " rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}");
    long ridTime = Long.parseLong(
        body.get("errmsg").asText().replaceAll(".* rid: ([0-9a-f]{8})-.*", "$1"), 16);
    assertThat(ridTime)
        .isCloseTo(server.clock().epochSecond(), org.assertj.core.data.Offset.offset(5L));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "corpid missing|corpsecret=s|41002|corpid missing",
        "unknown corpid|corpid=wwnope&corpsecret=s|40013|invalid corpid",
        "official account on gettoken|corpid=wx0000000000000001&corpsecret=devsecret00000000000000000000001|40013|invalid corpid",
        "corpsecret missing|corpid=ww0000000000000003|41004|corpsecret missing",
        "wrong corpsecret|corpid=ww0000000000000003&corpsecret=bad|40001|invalid credential, access_token is invalid or not latest",
      })
  void gettokenErrorsSpeakWecom(String name, String query, int errcode, String text) {
    HttpResponse<String> r = server.get("/cgi-bin/gettoken?" + query);
    JsonNode body = json(r);
    assertThat(body.get("errcode").asInt()).isEqualTo(errcode);
    String errmsg = body.get("errmsg").asText();
    assertThat(errmsg)
        .startsWith(text + ", hint: [")
        .contains("], from ip: 127.0.0.1, more info at ")
        .endsWith("?e=" + errcode)
        .matches(".*hint: \\[\\d{25}\\].*");
    assertThat(r.headers().firstValue("Error-Code")).hasValue(Integer.toString(errcode));
    assertThat(r.headers().firstValue("Error-Msg")).hasValue(errmsg);
  }

  @Test
  void gettokenReturnsTheSameTokenWhileValid() {
    JsonNode first =
        json(server.get("/cgi-bin/gettoken?corpid=" + CORP + "&corpsecret=" + CORP_SECRET));
    assertThat(first.fieldNames())
        .toIterable()
        .containsExactly("errcode", "errmsg", "access_token", "expires_in");
    assertThat(first.get("errcode").asInt()).isZero();
    assertThat(first.get("errmsg").asText()).isEqualTo("ok");
    assertThat(first.get("expires_in").asInt()).isEqualTo(7200);
    server.clock().advance(Duration.ofMinutes(30));
    JsonNode again =
        json(server.get("/cgi-bin/gettoken?corpid=" + CORP + "&corpsecret=" + CORP_SECRET));
    assertThat(again.get("access_token").asText())
        .isEqualTo(first.get("access_token").asText());
    assertThat(again.get("expires_in").asInt()).isBetween(5390, 5400);
    server.clock().advance(Duration.ofMinutes(86));
    JsonNode renewed =
        json(server.get("/cgi-bin/gettoken?corpid=" + CORP + "&corpsecret=" + CORP_SECRET));
    assertThat(renewed.get("access_token").asText())
        .isNotEqualTo(first.get("access_token").asText());
    assertThat(renewed.get("expires_in").asInt()).isEqualTo(7200);
  }

  @Test
  void stableTokenReturnsTheCurrentOneUntilForced() {
    String body = "{\"grant_type\":\"client_credential\",\"appid\":\"" + OA + "\",\"secret\":\""
        + OA_SECRET + "\",\"force_refresh\":false}";
    JsonNode first = json(server.postJson("/cgi-bin/stable_token", body));
    assertThat(first.fieldNames()).toIterable().containsExactly("access_token", "expires_in");
    assertThat(first.get("expires_in").asInt()).isEqualTo(7200);
    server.clock().advance(Duration.ofSeconds(100));
    JsonNode same = json(server.postJson("/cgi-bin/stable_token", body));
    assertThat(same.get("access_token").asText())
        .isEqualTo(first.get("access_token").asText());
    assertThat(same.get("expires_in").asInt()).isBetween(7099, 7100);
    // a /cgi-bin/token call does not touch the stable line
    token(OA, OA_SECRET);
    assertThat(json(server.postJson("/cgi-bin/stable_token", body))
            .get("access_token")
            .asText())
        .isEqualTo(first.get("access_token").asText());
    JsonNode forced = json(server.postJson("/cgi-bin/stable_token", body.replace("false", "true")));
    assertThat(forced.get("access_token").asText())
        .isNotEqualTo(first.get("access_token").asText());
    assertThat(forced.get("expires_in").asInt()).isEqualTo(7200);
    assertThat(json(server.postJson("/cgi-bin/stable_token", body))
            .get("access_token")
            .asText())
        .isEqualTo(forced.get("access_token").asText());
  }

  @Test
  void stableTokenRenewsInItsLastFiveMinutes() {
    String body = "{\"grant_type\":\"client_credential\",\"appid\":\"" + MP + "\",\"secret\":\""
        + MP_SECRET + "\"}";
    String first =
        json(server.postJson("/cgi-bin/stable_token", body)).get("access_token").asText();
    server.clock().advance(Duration.ofSeconds(7200 - 299));
    String second =
        json(server.postJson("/cgi-bin/stable_token", body)).get("access_token").asText();
    assertThat(second).isNotEqualTo(first);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "appid missing|{\"grant_type\":\"client_credential\",\"secret\":\"s\"}|41002",
        "unknown appid|{\"grant_type\":\"client_credential\",\"appid\":\"wxnope\",\"secret\":\"s\"}|40013",
        "secret missing|{\"grant_type\":\"client_credential\",\"appid\":\"wx0000000000000001\"}|41004",
        "grant_type wrong|{\"grant_type\":\"x\",\"appid\":\"wx0000000000000001\",\"secret\":\"bad\"}|40002",
        "wrong secret|{\"grant_type\":\"client_credential\",\"appid\":\"wx0000000000000001\",\"secret\":\"bad\"}|40125",
        "not JSON|{nope|47001",
      })
  void stableTokenErrors(String name, String body, int errcode) {
    assertThat(
            json(server.postJson("/cgi-bin/stable_token", body)).get("errcode").asInt())
        .isEqualTo(errcode);
  }

  @Test
  void stableTokenRequiresPost() {
    assertThat(json(server.get("/cgi-bin/stable_token")).get("errcode").asInt()).isEqualTo(43002);
  }

  @Test
  void unknownPathsAre404WithAnEmptyBody() {
    HttpResponse<String> r = server.get("/cgi-bin/nope?access_token=x");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).isEmpty();
  }

  @Test
  void healthIsOk() {
    HttpResponse<String> r = server.get("/_tempmedia/health");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r).toString())
        .isEqualTo("{\"status\":\"ok\",\"storage\":\"ok\",\"state\":\"ok\"}");
  }
}
