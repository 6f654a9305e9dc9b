package dev.tempmedia.compat.hardcoded;

import static dev.tempmedia.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tempmedia.testing.MediaSamples;
import dev.tempmedia.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.http.HttpHost;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import weixin.popular.api.MediaAPI;
import weixin.popular.api.TokenAPI;
import weixin.popular.bean.media.Media;
import weixin.popular.bean.media.MediaGetResult;
import weixin.popular.bean.media.MediaType;
import weixin.popular.bean.token.Token;
import weixin.popular.client.HttpClientFactory;
import weixin.popular.client.LocalHttpClient;

/**
 * weixin-popular 2.8.32, which hard-codes {@code https://api.weixin.qq.com}, unchanged: it reaches
 * tempmedia only through the forward proxy (SPEC §11), with its own proxy setting and a JVM trust
 * store that holds tempmedia's CA.
 *
 * <p>Its proxy setting is {@code HttpClientFactory.setProxy} followed by {@code
 * LocalHttpClient.init}, which rebuilds the one shared client ({@code -Dhttps.proxyHost} is ignored:
 * the client is built without {@code useSystemProperties()}). Its TLS comes from a
 * {@code PoolingHttpClientConnectionManager()}, i.e. {@code SSLContexts.createDefault()}: the JVM's
 * default trust managers, made when the client is built, so {@link JvmTrustStore} is installed only
 * around {@code init}. (Replacing the client through the protected static {@code httpClient} with an
 * SSLContext of our own would work too, but would not be the JVM trust store an application uses.)
 *
 * <p>weixin-popular logs every failure ("execute error") and returns null, so each answer is
 * checked for null with the reason to look in the test's output.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HardCodedHostWeixinPopularTest {
  static final String SWALLOWED =
      "weixin-popular returned null: it logged the cause as \"execute error\" in this test's output";

  TestServer server;
  JvmTrustStore trustStore;

  @TempDir
  Path files;

  @BeforeAll
  void start(@TempDir Path data, @TempDir Path keys) throws Exception {
    server = new TestServer(data, Map.of("server.proxy.port", "0"));
    assertThat(server.server().proxyPort()).isPositive();
    String caPem = server.get("/_tempmedia/ca.pem").body();
    assertThat(caPem).startsWith("-----BEGIN CERTIFICATE-----");
    trustStore = JvmTrustStore.withDefaultRootsAnd(caPem, keys);
  }

  @AfterAll
  void stop() {
    // The SDK's state is static: leave it as a fresh JVM has it.
    HttpClientFactory.setProxy(null);
    LocalHttpClient.init(100, 10);
    server.close();
  }

  /** The SDK's documented proxy setting; the shared client is rebuilt to take it. */
  void useProxy(boolean trustingTheCa) {
    HttpClientFactory.setProxy(new HttpHost("127.0.0.1", server.server().proxyPort()));
    if (trustingTheCa) {
      Runnable restore = trustStore.install();
      try {
        LocalHttpClient.init(100, 10);
      } finally {
        restore.run();
      }
    } else {
      LocalHttpClient.init(100, 10);
    }
  }

  @Test
  void tokenUploadAndByteIdenticalDownloadThroughTheProxy() throws Exception {
    useProxy(true);
    Token token = TokenAPI.token(TestServer.OA, TestServer.OA_SECRET);
    assertThat(token).as(SWALLOWED).isNotNull();
    assertThat(token.getErrcode()).as("errcode of the token answer").isNull();
    assertThat(token.getAccess_token()).as("access_token").hasSizeGreaterThanOrEqualTo(50);
    assertThat(token.getExpires_in()).isEqualTo(7200);

    byte[] jpeg = MediaSamples.jpeg(120, 80);
    Path file = Files.write(files.resolve("photo.jpg"), jpeg);
    // Sends access_token and type as multipart fields after the file, with no query string.
    Media media = MediaAPI.mediaUpload(token.getAccess_token(), MediaType.image, file.toFile());
    assertThat(media).as(SWALLOWED).isNotNull();
    assertThat(media.getErrcode()).as("upload errcode: %s", media.getErrmsg()).isNull();
    assertThat(media.getType()).isEqualTo("image");
    assertThat(media.getMedia_id()).isNotBlank();
    assertThat(media.getCreated_at()).isPositive();

    MediaGetResult got = MediaAPI.mediaGet(token.getAccess_token(), media.getMedia_id());
    assertThat(got).as(SWALLOWED).isNotNull();
    assertThat(got.getErrcode()).as("download errcode: %s", got.getErrmsg()).isNull();
    assertThat(got.getContentType()).isEqualTo("image/jpeg");
    assertThat(got.getBytes()).as("downloaded bytes").isEqualTo(jpeg);

    // mediaGet(…, true) ("for video") asks http://api.weixin.qq.com: absolute-form to the proxy.
    MediaGetResult overHttp = MediaAPI.mediaGet(token.getAccess_token(), media.getMedia_id(), true);
    assertThat(overHttp).as(SWALLOWED).isNotNull();
    assertThat(overHttp.getBytes()).as("bytes over http://").isEqualTo(jpeg);

    assertThat(seen())
        .containsExactly(
            "GET /cgi-bin/token proxy-connect 0",
            "POST /cgi-bin/media/upload proxy-connect 0",
            "GET /cgi-bin/media/get proxy-connect 0",
            "GET /cgi-bin/media/get proxy 0");
  }

  @Test
  void withoutTheCaInTheTrustStoreTheHandshakeFails() {
    useProxy(false);
    List<String> before = seen();
    // PKIX path building fails against the JDK's own roots; the SDK logs it and returns null.
    assertThat(TokenAPI.token(TestServer.OA, TestServer.OA_SECRET)).isNull();
    assertThat(seen()).as("no request got through").isEqualTo(before);
  }

  /** The Official Account's requests in the inspector, oldest first: method, path, via, errcode. */
  List<String> seen() {
    JsonNode records =
        json(server.get("/_tempmedia/requests?appid=" + TestServer.OA)).path("requests");
    List<String> out = new ArrayList<>();
    records.forEach(
        r -> out.add(r.path("method").asText() + " " + r.path("path").asText() + " "
            + r.path("via").asText() + " " + r.path("errcode").asText()));
    Collections.reverse(out); // the inspector lists newest first
    return out;
  }
}
