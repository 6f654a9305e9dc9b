package dev.tempmedia.admin;

import static dev.tempmedia.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tempmedia.testing.MediaSamples;
import dev.tempmedia.testing.TestServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Injected faults: errcodes in each endpoint's own shape, latency, dropped connections, counts, chances, filters. */
class FaultRoutesTest {
  static final String UPLOAD = "/cgi-bin/media/upload";

  @TempDir
  Path data;

  TestServer server;
  String token;

  @BeforeEach
  void start() {
    server = new TestServer(data);
    token = server.token("official-account");
  }

  @AfterEach
  void stop() {
    if (server != null) { // null when the start was skipped (no redis-server for the scale-out run)
      server.close();
    }
  }

  String addRule(String json) {
    HttpResponse<String> r = server.postJson("/_tempmedia/faults", json);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return json(r).path("id").asText();
  }

  HttpResponse<String> upload() {
    return server.upload(token, "image", "a.jpg", MediaSamples.jpeg(16, 16));
  }

  JsonNode rule(String id) {
    for (JsonNode r : json(server.get("/_tempmedia/faults")).path("faults")) {
      if (r.path("id").asText().equals(id)) {
        return r;
      }
    }
    throw new AssertionError("no rule " + id);
  }

  @Test
  void anErrcodeRuleFailsTheNextUploadOnceThenUploadsWorkAgain() {
    String id = addRule("{\"path\":\"" + UPLOAD + "\",\"errcode\":-1,\"times\":1}");
    HttpResponse<String> failed = upload();
    assertThat(failed.statusCode()).isEqualTo(200);
    assertThat(json(failed).path("errcode").asInt()).isEqualTo(-1);
    assertThat(json(failed).path("errmsg").asText()).startsWith("system error rid: ");
    assertThat(json(upload()).path("media_id").asText()).hasSize(64);
    JsonNode listed = rule(id);
    assertThat(listed.path("fired").asInt()).isEqualTo(1);
    assertThat(listed.path("times").asInt()).isEqualTo(1);
    assertThat(listed.path("errcode").asInt()).isEqualTo(-1);
    // Nothing was stored by the failed call: only the second upload's object exists.
    assertThat(server.storedObjectCount()).isEqualTo(1);
  }

  @Test
  void theInjectedErrorIsInTheInspectorWithTheRuleNamed() {
    String id = addRule("{\"path\":\"" + UPLOAD + "\",\"errcode\":45009,\"times\":1}");
    String rid = json(upload()).path("errmsg").asText().replaceAll(".*rid: ", "");
    JsonNode seen =
        json(server.get("/_tempmedia/requests?rid=" + rid)).path("requests").get(0);
    assertThat(seen.path("errcode").asInt()).isEqualTo(45009);
    assertThat(seen.path("diagnosis").asText()).contains("injected by fault rule " + id);
    assertThat(seen.path("appid").asText()).isEqualTo(TestServer.OA);
  }

  @Test
  void aTokenEndpointFailsInTheWeComShapeForACorp() {
    addRule("{\"path\":\"/cgi-bin/gettoken\",\"errcode\":-1,\"times\":1}");
    HttpResponse<String> r = server.get(
        "/cgi-bin/gettoken?corpid=" + TestServer.CORP + "&corpsecret=" + TestServer.CORP_SECRET);
    assertThat(json(r).path("errcode").asInt()).isEqualTo(-1);
    assertThat(json(r).path("errmsg").asText())
        .contains("more info at https://open.work.weixin.qq.com/devtool/query?e=-1");
    assertThat(r.headers().firstValue("Error-Code")).hasValue("-1");
  }

  @Test
  void aCloudCallEndpointFailsInTheCloudCallShape() {
    addRule("{\"path\":\"/openapi/customerServiceMessage/getTempMedia\",\"errcode\":-1}");
    HttpResponse<String> r = server.postJson(
        "/openapi/customerServiceMessage/getTempMedia?access_token=" + server.token("mini-program"),
        "{\"media_id\":\"x\"}");
    assertThat(json(r).path("errCode").asInt()).isEqualTo(-1);
    assertThat(json(r).path("errMsg").asText())
        .startsWith("openapi.customerServiceMessage.getTempMedia:fail system error");
  }

  @Test
  void latencyDelaysTheAnswerAndThenTheCallSucceeds() {
    addRule("{\"path\":\"" + UPLOAD + "\",\"latencyMs\":700,\"times\":1}");
    long start = System.nanoTime();
    HttpResponse<String> r = upload();
    long tookMs = (System.nanoTime() - start) / 1_000_000;
    assertThat(json(r).path("media_id").asText()).hasSize(64);
    assertThat(tookMs).isGreaterThanOrEqualTo(700);
    long second = System.nanoTime();
    upload();
    assertThat((System.nanoTime() - second) / 1_000_000).isLessThan(700);
  }

  @Test
  void latencyCombinesWithAnErrcode() {
    addRule("{\"path\":\"" + UPLOAD + "\",\"latencyMs\":300,\"errcode\":-1,\"times\":1}");
    long start = System.nanoTime();
    assertThat(json(upload()).path("errcode").asInt()).isEqualTo(-1);
    assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(300);
  }

  @Test
  void dropClosesTheConnectionWithoutAnAnswer() {
    addRule("{\"path\":\"/cgi-bin/media/get\",\"drop\":true,\"times\":1}");
    HttpRequest get = HttpRequest.newBuilder(
            URI.create(server.url("/cgi-bin/media/get?access_token=" + token + "&media_id=x")))
        .GET()
        .build();
    Throwable t = catchThrowable(() ->
        java.net.http.HttpClient.newHttpClient().send(get, HttpResponse.BodyHandlers.ofString()));
    assertThat(t).isInstanceOf(IOException.class);
    JsonNode seen =
        json(server.get("/_tempmedia/requests?limit=1")).path("requests").get(0);
    assertThat(seen.path("path").asText()).isEqualTo("/cgi-bin/media/get");
    assertThat(seen.path("status").asInt()).isZero();
    assertThat(seen.path("diagnosis").asText()).contains("connection dropped on purpose");
    // Used up: the next call is answered.
    assertThat(json(server.download(token, "x").body() == null
                ? "{}"
                : new String(server.download(token, "x").body()))
            .path("errcode")
            .asInt())
        .isEqualTo(40007);
  }

  @Test
  void probabilityZeroNeverFiresAndOneAlwaysDoes() {
    String never = addRule("{\"path\":\"" + UPLOAD + "\",\"errcode\":-1,\"probability\":0}");
    for (int i = 0; i < 5; i++) {
      assertThat(json(upload()).has("media_id")).isTrue();
    }
    assertThat(rule(never).path("fired").asInt()).isZero();
    server.call("DELETE", "/_tempmedia/faults", null);
    addRule("{\"path\":\"" + UPLOAD + "\",\"errcode\":-1,\"probability\":1}");
    for (int i = 0; i < 5; i++) {
      assertThat(json(upload()).path("errcode").asInt()).isEqualTo(-1);
    }
  }

  @Test
  void aHalfChanceFiresAboutHalfTheTime() {
    String id = addRule("{\"path\":\"/cgi-bin/media/get\",\"errcode\":-1,\"probability\":0.5}");
    int failed = 0;
    for (int i = 0; i < 200; i++) {
      if (json(new String(server.download(token, "x").body())).path("errcode").asInt() == -1) {
        failed++;
      }
    }
    assertThat(failed).isBetween(60, 140); // binomial(200, 0.5): outside this is < 1e-8
    assertThat(rule(id).path("fired").asInt()).isEqualTo(failed);
  }

  @Test
  void anAppidRuleHitsOnlyThatApp() {
    addRule("{\"path\":\"" + UPLOAD + "\",\"errcode\":-1,\"appid\":\"" + TestServer.MP + "\"}");
    assertThat(json(upload()).has("media_id")).isTrue();
    String mp = server.token("mini-program");
    assertThat(json(server.upload(mp, "image", "a.jpg", MediaSamples.jpeg(16, 16)))
            .path("errcode")
            .asInt())
        .isEqualTo(-1);
  }

  @Test
  void aTypeRuleHitsOnlyThatType() {
    addRule("{\"path\":\"" + UPLOAD + "\",\"errcode\":-1,\"type\":\"voice\"}");
    assertThat(json(upload()).has("media_id")).isTrue();
    assertThat(json(server.upload(token, "voice", "a.amr", MediaSamples.amr(1)))
            .path("errcode")
            .asInt())
        .isEqualTo(-1);
  }

  @Test
  void rulesAreTakenInOrderAndCountedEach() {
    String first = addRule("{\"path\":\"" + UPLOAD + "\",\"errcode\":-1,\"times\":1}");
    String second = addRule("{\"path\":\"" + UPLOAD + "\",\"errcode\":45009,\"times\":1}");
    assertThat(json(upload()).path("errcode").asInt()).isEqualTo(-1);
    assertThat(json(upload()).path("errcode").asInt()).isEqualTo(45009);
    assertThat(json(upload()).has("media_id")).isTrue();
    assertThat(rule(first).path("fired").asInt()).isEqualTo(1);
    assertThat(rule(second).path("fired").asInt()).isEqualTo(1);
  }

  @Test
  void clearRemovesEveryRule() {
    addRule("{\"path\":\"" + UPLOAD + "\",\"errcode\":-1}");
    addRule("{\"path\":\"/cgi-bin/token\",\"errcode\":-1}");
    HttpResponse<String> cleared = server.call("DELETE", "/_tempmedia/faults", null);
    assertThat(json(cleared).path("cleared").asInt()).isEqualTo(2);
    assertThat(json(server.get("/_tempmedia/faults")).path("faults")).isEmpty();
    assertThat(json(upload()).has("media_id")).isTrue();
  }

  @Test
  void badRulesAreRefusedWithTheReasonAndAddNothing() {
    String[] bodies = {
      "{\"errcode\":-1}",
      "{\"path\":\"cgi-bin/media/upload\",\"errcode\":-1}",
      "{\"path\":\"" + UPLOAD + "\"}",
      "{\"path\":\"" + UPLOAD + "\",\"errcode\":12345}",
      "{\"path\":\"" + UPLOAD + "\",\"errcode\":-1,\"drop\":true}",
      "{\"path\":\"" + UPLOAD + "\",\"errcode\":-1,\"times\":0}",
      "{\"path\":\"" + UPLOAD + "\",\"errcode\":-1,\"probability\":1.5}",
      "{\"path\":\"" + UPLOAD + "\",\"errcode\":\"-1\"}",
      "{\"path\":\"" + UPLOAD + "\",\"errcode\":-1,\"tiems\":1}",
      "{\"path\":\"" + UPLOAD + "\",\"latencyMs\":-5}",
      "[]",
    };
    for (String body : bodies) {
      HttpResponse<String> r = server.postJson("/_tempmedia/faults", body);
      assertThat(r.statusCode()).as(body).isEqualTo(400);
      assertThat(json(r).path("error").asText()).as(body).isNotBlank();
    }
    assertThat(json(server.get("/_tempmedia/faults")).path("faults")).isEmpty();
  }

  @Test
  void aBodyOverSixtyFourKibibytesIsRefusedUnread() {
    String padded =
        "{\"path\":\"" + UPLOAD + "\",\"errcode\":-1,\"type\":\"" + "x".repeat(70 * 1024) + "\"}";
    HttpResponse<String> r = server.postJson("/_tempmedia/faults", padded);
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(json(r).path("error").asText()).contains("over 65536 bytes");
    // Read in process: the refused connection was closed, and the test client's pool may still hold
    // it.
    assertThat(server.server().faults().list()).isEmpty();
  }

  @Test
  void anOversizedBodyOnHttp2IsRefusedWith413() throws Exception {
    // a first request without a body upgrades the connection to HTTP/2 (h2c)
    java.net.http.HttpClient h2 = dev.tempmedia.testing.H2cUpgrade.send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(server.url("/_tempmedia/health")))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .client();
    String padded =
        "{\"path\":\"" + UPLOAD + "\",\"errcode\":-1,\"type\":\"" + "x".repeat(70 * 1024) + "\"}";
    HttpResponse<String> r = h2.send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url("/_tempmedia/faults")))
            .header("Content-Type", "application/json")
            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(padded))
            .build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.version()).isEqualTo(java.net.http.HttpClient.Version.HTTP_2);
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(json(r).path("error").asText()).contains("over 65536 bytes");
    // and nothing was added; the client goes on with the next request
    HttpResponse<String> next = h2.send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url("/_tempmedia/faults")))
            .build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(next.statusCode()).isEqualTo(200);
    assertThat(json(next).path("faults")).isEmpty();
  }
}
