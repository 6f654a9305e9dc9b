package dev.tempmedia.admin;

import static dev.tempmedia.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tempmedia.testing.MediaSamples;
import dev.tempmedia.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Apps created and deleted at run time, and every token of an app invalidated at once. */
class AppRoutesTest {
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

  JsonNode create(String json) {
    HttpResponse<String> r = server.postJson("/_tempmedia/apps", json);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return json(r);
  }

  JsonNode listed(String id) {
    for (JsonNode a : json(server.get("/_tempmedia/apps")).path("apps")) {
      if (id.equals(a.path("appid").asText(null)) || id.equals(a.path("corpid").asText(null))) {
        return a;
      }
    }
    return null;
  }

  @Test
  void listsTheWellKnownAppsWithTheirPublicSecrets() {
    JsonNode apps = json(server.get("/_tempmedia/apps")).path("apps");
    assertThat(apps).hasSize(3);
    assertThat(listed(TestServer.OA).path("secret").asText()).isEqualTo(TestServer.OA_SECRET);
    assertThat(listed(TestServer.OA).path("product").asText()).isEqualTo("official-account");
    assertThat(listed(TestServer.OA).path("source").asText()).isEqualTo("well-known");
    assertThat(listed(TestServer.CORP).path("secrets").get(0).asText())
        .isEqualTo(TestServer.CORP_SECRET);
    assertThat(listed(TestServer.CORP).path("product").asText()).isEqualTo("wecom");
  }

  @Test
  void aCreatedAppGetsTokensAndUploadsAndItsSecretIsShownOnlyOnce() {
    JsonNode app = create("{\"product\":\"official-account\"}");
    String appid = app.path("appid").asText();
    String secret = app.path("secret").asText();
    assertThat(appid).matches("wx[0-9a-f]{16}");
    assertThat(secret).matches("[0-9a-f]{32}");
    JsonNode token = json(server.get(
        "/cgi-bin/token?grant_type=client_credential&appid=" + appid + "&secret=" + secret));
    assertThat(token.path("expires_in").asInt()).isEqualTo(7200);
    HttpResponse<String> up = server.upload(
        token.path("access_token").asText(), "image", "a.jpg", MediaSamples.jpeg(9, 9));
    assertThat(json(up).path("media_id").asText()).hasSize(64);
    assertThat(listed(appid).path("source").asText()).isEqualTo("created");
    assertThat(listed(appid).has("secret")).isFalse();
    assertThat(server.get("/_tempmedia/apps").body()).doesNotContain(secret);
  }

  @Test
  void aCreatedCorpHasAWeComShapedSecretAndItsOwnIdIfGiven() {
    JsonNode corp = create("{\"product\":\"wecom\",\"corpid\":\"ww00000000000000aa\"}");
    assertThat(corp.path("corpid").asText()).isEqualTo("ww00000000000000aa");
    assertThat(corp.path("secret").asText()).hasSize(43);
    JsonNode token = json(server.get("/cgi-bin/gettoken?corpid=ww00000000000000aa&corpsecret="
        + corp.path("secret").asText()));
    assertThat(token.path("errcode").asInt()).isZero();
    assertThat(token.path("access_token").asText()).isNotBlank();
  }

  @Test
  void aChosenSecretIsKept() {
    JsonNode app = create(
        "{\"product\":\"mini-program\",\"appid\":\"wx00000000000000bb\",\"secret\":\"my-ci-secret-0123456789\"}");
    assertThat(app.path("secret").asText()).isEqualTo("my-ci-secret-0123456789");
    JsonNode token =
        json(server.get("/cgi-bin/token?grant_type=client_credential&appid=wx00000000000000bb"
            + "&secret=my-ci-secret-0123456789"));
    assertThat(token.path("access_token").asText()).isNotBlank();
  }

  @Test
  void createdAppsSurviveARestart() {
    JsonNode app = create("{\"product\":\"official-account\"}");
    server.restart();
    JsonNode token = json(server.get("/cgi-bin/token?grant_type=client_credential&appid="
        + app.path("appid").asText() + "&secret=" + app.path("secret").asText()));
    assertThat(token.path("access_token").asText()).isNotBlank();
  }

  @Test
  void deletingAnAppEndsItsTokensAndItsCredentials() {
    JsonNode app = create("{\"product\":\"official-account\"}");
    String appid = app.path("appid").asText();
    String token = json(server.get("/cgi-bin/token?grant_type=client_credential&appid=" + appid
            + "&secret=" + app.path("secret").asText()))
        .path("access_token")
        .asText();
    HttpResponse<String> deleted = server.call("DELETE", "/_tempmedia/apps/" + appid, null);
    assertThat(deleted.statusCode()).isEqualTo(200);
    assertThat(json(deleted).path("deleted").asText()).isEqualTo(appid);
    assertThat(json(server.upload(token, "image", "a.jpg", MediaSamples.jpeg(9, 9)))
            .path("errcode")
            .asInt())
        .isEqualTo(40001);
    JsonNode again = json(server.get("/cgi-bin/token?grant_type=client_credential&appid=" + appid
        + "&secret=" + app.path("secret").asText()));
    assertThat(again.path("errcode").asInt()).isEqualTo(40013);
    assertThat(listed(appid)).isNull();
    assertThat(server.call("DELETE", "/_tempmedia/apps/" + appid, null).statusCode())
        .isEqualTo(404);
  }

  @Test
  void wellKnownAppsCannotBeDeleted() {
    HttpResponse<String> r = server.call("DELETE", "/_tempmedia/apps/" + TestServer.OA, null);
    assertThat(r.statusCode()).isEqualTo(409);
    assertThat(json(r).path("error").asText()).contains("well-known");
    assertThat(server.token("official-account")).isNotBlank();
  }

  @Test
  void badCreationsAreRefusedAndCreateNothing() {
    String[] bodies = {
      "{}",
      "{\"product\":\"weibo\"}",
      "{\"product\":\"wecom\",\"corpid\":\"wx0000000000000abc\"}",
      "{\"product\":\"official-account\",\"appid\":\"wx12\"}",
      "{\"product\":\"official-account\",\"secret\":\"short\"}",
      "{\"product\":\"official-account\",\"secret\":\"has spaces in it 0123\"}"
    };
    for (String body : bodies) {
      HttpResponse<String> r = server.postJson("/_tempmedia/apps", body);
      assertThat(r.statusCode()).as(body).isEqualTo(400);
      assertThat(json(r).path("error").asText()).as(body).isNotBlank();
    }
    HttpResponse<String> taken = server.postJson(
        "/_tempmedia/apps",
        "{\"product\":\"official-account\",\"appid\":\"" + TestServer.OA + "\"}");
    assertThat(taken.statusCode()).isEqualTo(409);
    assertThat(json(server.get("/_tempmedia/apps")).path("apps")).hasSize(3);
  }

  @Test
  void invalidatingAnAppsTokensMakesThem40001AndTheNextTokenCallIssuesANewOne() {
    String old = server.token("official-account");
    HttpResponse<String> r =
        server.postJson("/_tempmedia/tokens/" + TestServer.OA + "/invalidate", "{}");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r).path("invalidated").asInt()).isGreaterThanOrEqualTo(1);
    HttpResponse<String> refused = server.upload(old, "image", "a.jpg", MediaSamples.jpeg(9, 9));
    assertThat(json(refused).path("errcode").asInt()).isEqualTo(40001);
    String fresh = server.token("official-account");
    assertThat(fresh).isNotEqualTo(old);
    assertThat(json(server.upload(fresh, "image", "a.jpg", MediaSamples.jpeg(9, 9)))
            .path("media_id")
            .asText())
        .hasSize(64);
  }

  @Test
  void invalidatingACorpsTokensAnswers40014AndStableTokensAreIncluded() {
    String corpToken = server.token("wecom");
    server.call("POST", "/_tempmedia/tokens/" + TestServer.CORP + "/invalidate", null);
    assertThat(json(new String(server.download(corpToken, "x").body()))
            .path("errcode")
            .asInt())
        .isEqualTo(40014);

    String stable = json(server.postJson(
            "/cgi-bin/stable_token",
            "{\"grant_type\":\"client_credential\",\"appid\":\"" + TestServer.MP
                + "\",\"secret\":\"" + TestServer.MP_SECRET + "\"}"))
        .path("access_token")
        .asText();
    HttpResponse<String> r =
        server.postJson("/_tempmedia/tokens/" + TestServer.MP + "/invalidate", "");
    assertThat(json(r).path("invalidated").asInt()).isEqualTo(1);
    assertThat(json(new String(server.download(stable, "x").body()))
            .path("errcode")
            .asInt())
        .isEqualTo(40001);
    String stableAgain = json(server.postJson(
            "/cgi-bin/stable_token",
            "{\"grant_type\":\"client_credential\",\"appid\":\"" + TestServer.MP
                + "\",\"secret\":\"" + TestServer.MP_SECRET + "\"}"))
        .path("access_token")
        .asText();
    assertThat(stableAgain).isNotEqualTo(stable);
  }

  @Test
  void invalidatingAnUnknownAppIs404() {
    assertThat(server
            .postJson("/_tempmedia/tokens/wx9999999999999999/invalidate", "{}")
            .statusCode())
        .isEqualTo(404);
  }
}
