package dev.tempmedia.admin;

import static dev.tempmedia.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tempmedia.config.TempmediaConfig.RuleSetName;
import dev.tempmedia.http.WeChatApi;
import dev.tempmedia.http.WeChatRoute;
import dev.tempmedia.media.rules.RuleBook;
import dev.tempmedia.testing.TestServer;
import dev.tempmedia.wechat.Product;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two route tables are what the server serves, and what its clients call: every WeChat row
 * answers as a WeChat endpoint, every path /info publishes is a row, and the console types none.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RouteTablesTest {
  TestServer server;

  @BeforeAll
  void start(@TempDir Path data) {
    server = new TestServer(data);
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @Test
  void everyWeChatRowAnswersAsAWeChatEndpoint() {
    List<String> wechatRows = server.server().routes().entrySet().stream()
        .filter(e ->
            e.getValue() instanceof WeChatRoute && !e.getKey().startsWith(OperatorApi.NAMESPACE))
        .map(Map.Entry::getKey)
        .toList();
    assertThat(wechatRows).isEqualTo(WeChatApi.PATHS);
    for (String path : wechatRows) {
      WeChatRoute row = (WeChatRoute) server.server().routes().get(path);
      // no token and no body: each answers a WeChat refusal, never the empty 404 of an unknown path
      String method = row.methods().contains(io.vertx.core.http.HttpMethod.POST) ? "POST" : "GET";
      HttpResponse<String> r = server.call(method, row.path(), method.equals("POST") ? "{}" : null);
      assertThat(r.statusCode()).as(row.path()).isEqualTo(200);
      JsonNode body = json(r);
      if (path.equals(WeChatApi.TCB_ADMIN)) {
        // the TCB gateway refuses a request that is no cloud call in its own JSON (SPEC §9)
        assertThat(r.headers().firstValue("Content-Type"))
            .contains("application/json; charset=utf-8");
        assertThat(body.path("code").asText()).as(r.body()).isEqualTo("INVALID_PARAM");
        continue;
      }
      assertThat(body.has("errcode") || body.has("errCode"))
          .as(row.path() + " " + r.body())
          .isTrue();
    }
    assertThat(server.call("POST", "/cgi-bin/no-such-endpoint", "{}").statusCode())
        .isEqualTo(404);
  }

  @Test
  void infoDescribesEachProductFromItsProfileAndTheRuleBook() {
    JsonNode products = json(server.get(OperatorApi.INFO)).path("products");
    RuleBook rules = RuleBook.load();
    for (Product product : Product.values()) {
      JsonNode p = products.path(product.wireName());
      assertThat(p.path("idField").asText())
          .isEqualTo(product.profile().idField().wireName());
      assertThat(p.path("mediaIdLength").asInt()).isEqualTo(product.profile().mediaIdLength());
      assertThat(p.path("types").toString())
          .isEqualTo(rules.types(RuleSetName.CURRENT, product).stream()
              .map(t -> "\"" + t.wireName() + "\"")
              .toList()
              .toString()
              .replace(" ", ""));
    }
    assertThat(products.path("wecom").path("idField").asText()).isEqualTo("corpid");
    assertThat(products.path("mini-program").path("types").toString()).isEqualTo("[\"image\"]");
    assertThat(products.path("wecom").path("tokenRequest").asText())
        .isEqualTo("/cgi-bin/gettoken?corpid={id}&corpsecret={secret}");
  }

  @Test
  void everyPublishedPathIsARowOfTheOperatorTable() {
    JsonNode paths = json(server.get(OperatorApi.INFO)).path("paths");
    assertThat(paths.size()).isGreaterThan(10);
    for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String path = e.getValue().asText().replaceAll("\\{[^}]+}", "x");
      // GET on a row answers anything but the empty 404 of a path no row names (a 405 or a refusal
      // is a row)
      HttpResponse<String> r = server.call("GET", path + "?appid=" + TestServer.OA, null);
      assertThat(r.statusCode() == 404 && r.body().isEmpty())
          .as(e.getKey() + " " + path)
          .isFalse();
    }
    HttpResponse<String> unknown = server.call("GET", "/_tempmedia/no-such-route", null);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).isEmpty();
  }

  @Test
  void theConsoleTypesNoPathButInfo() throws IOException {
    for (String file : new String[] {
      "app.js",
      "api.js",
      "state.js",
      "apps.js",
      "media.js",
      "requests.js",
      "messages.js",
      "devtools.js"
    }) {
      String source = read("dev/tempmedia/console/" + file);
      String withoutInfo = source.replace("'/_tempmedia/info'", "");
      assertThat(withoutInfo)
          .as(file)
          .doesNotContain("/_tempmedia")
          .doesNotContain("/cgi-bin/")
          .doesNotContain("'wecom' ?");
    }
  }

  private static String read(String resource) throws IOException {
    try (InputStream in = RouteTablesTest.class.getClassLoader().getResourceAsStream(resource)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
