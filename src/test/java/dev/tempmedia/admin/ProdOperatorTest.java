package dev.tempmedia.admin;

import static dev.tempmedia.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tempmedia.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** In prod every operator route but health and metrics needs the admin token; clock and faults do not exist. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProdOperatorTest {
  static final String ADMIN = "admin-token-for-tests-0123456789";
  static final String BEARER = "Bearer " + ADMIN;
  TestServer server;

  @BeforeAll
  void start(@TempDir Path data) {
    server = TestServer.withConfig(data, """
        mode: prod
        admin: { token: %s }
        apps:
          - { product: official-account, appid: wx00000000000000c1, secret: prodsecret0000000000000000000001 }
        """.formatted(ADMIN));
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "GET, /_tempmedia/info",
    "GET, /_tempmedia/apps",
    "POST, /_tempmedia/apps",
    "DELETE, /_tempmedia/apps/wx00000000000000c1",
    "POST, /_tempmedia/tokens/wx00000000000000c1/invalidate",
    "GET, /_tempmedia/requests",
    "GET, /_tempmedia/media?appid=wx00000000000000c1",
    "POST, /_tempmedia/media?appid=wx00000000000000c1&type=image",
    "GET, /_tempmedia/media/x?appid=wx00000000000000c1",
    "DELETE, /_tempmedia/media/x?appid=wx00000000000000c1",
  })
  void everyOperatorRouteNeedsTheAdminToken(String method, String path) {
    for (String[] headers : new String[][] {
      {},
      {"Authorization", "Bearer wrong"},
      {"Authorization", ADMIN},
      {"Authorization", "Basic " + ADMIN}
    }) {
      HttpResponse<String> r =
          server.call(method, path, method.equals("GET") ? null : "{}", headers);
      assertThat(r.statusCode())
          .as(method + " " + path + " " + String.join(":", headers))
          .isEqualTo(401);
      assertThat(r.headers().firstValue("WWW-Authenticate").orElse("")).startsWith("Bearer");
      assertThat(json(r).path("error").asText()).contains("Authorization: Bearer");
    }
    // Nothing changed: the app is still there and works.
    assertThat(
            json(server.get("/cgi-bin/token?grant_type=client_credential&appid=wx00000000000000c1"
                    + "&secret=prodsecret0000000000000000000001"))
                .path("access_token")
                .asText())
        .isNotBlank();
  }

  @Test
  void withTheTokenTheRoutesAnswer() {
    HttpResponse<String> info =
        server.call("GET", "/_tempmedia/info", null, "Authorization", BEARER);
    assertThat(info.statusCode()).isEqualTo(200);
    assertThat(json(info).path("mode").asText()).isEqualTo("prod");
    assertThat(json(info).path("storage").asText()).isIn("local", "s3");
    HttpResponse<String> apps =
        server.call("GET", "/_tempmedia/apps", null, "Authorization", "bearer " + ADMIN);
    assertThat(json(apps).path("apps").get(0).path("appid").asText())
        .isEqualTo("wx00000000000000c1");
    assertThat(json(apps).path("apps").get(0).path("source").asText()).isEqualTo("config");
    assertThat(apps.body()).doesNotContain("prodsecret");
  }

  @Test
  void healthAndMetricsAreOpen() {
    assertThat(server.get("/_tempmedia/health").statusCode()).isEqualTo(200);
    HttpResponse<String> metrics = server.get("/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body()).contains("tempmedia_stored_objects");
  }

  @Test
  void clockAndFaultsDoNotExistInProd() {
    for (String path : new String[] {"/_tempmedia/clock", "/_tempmedia/faults"}) {
      assertThat(server.call("GET", path, null, "Authorization", BEARER).statusCode())
          .as(path)
          .isEqualTo(404);
      assertThat(server
              .call("POST", path, "{\"advance\":\"PT72H\"}", "Authorization", BEARER)
              .statusCode())
          .isEqualTo(404);
    }
    assertThat(server.clock().offset()).isZero();
  }

  @Test
  void theOutboxAndItsSendEndpointsDoNotExistInProd() {
    assertThat(server
            .call("GET", OperatorApi.MESSAGES, null, "Authorization", BEARER)
            .statusCode())
        .isEqualTo(404);
    assertThat(server
            .call("DELETE", OperatorApi.MESSAGES, null, "Authorization", BEARER)
            .statusCode())
        .isEqualTo(404);
    for (String path : dev.tempmedia.http.WeChatApi.MESSAGE_PATHS) {
      HttpResponse<String> r = server.postJson(
          path, "{\"touser\":\"o\",\"msgtype\":\"text\",\"text\":{\"content\":\"x\"}}");
      assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(404);
    }
    assertThat(json(server.call("GET", OperatorApi.INFO, null, "Authorization", BEARER))
            .path("wechatPaths")
            .toString())
        .doesNotContain("/message/");
  }

  @Test
  void configuredAppsCannotBeDeleted() {
    HttpResponse<String> r =
        server.call("DELETE", "/_tempmedia/apps/wx00000000000000c1", null, "Authorization", BEARER);
    assertThat(r.statusCode()).isEqualTo(409);
    assertThat(json(r).path("error").asText()).contains("configuration");
  }

  @Test
  void metricsCanBeClosedByConfig(@TempDir Path data) {
    try (TestServer closed = TestServer.withConfig(data, """
        mode: prod
        admin: { token: %s, metricsOpen: false }
        apps:
          - { product: official-account, appid: wx00000000000000c1, secret: prodsecret0000000000000000000001 }
        """.formatted(ADMIN))) {
      assertThat(closed.get("/metrics").statusCode()).isEqualTo(401);
      assertThat(closed.call("GET", "/metrics", null, "Authorization", BEARER).statusCode())
          .isEqualTo(200);
      assertThat(closed.get("/_tempmedia/health").statusCode()).isEqualTo(200);
    }
  }
}
