package dev.tempmedia.it;

import static dev.tempmedia.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tempmedia.testing.MediaSamples;
import dev.tempmedia.testing.Multipart;
import dev.tempmedia.testing.RawHttp;
import dev.tempmedia.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC §11's WeChat Cloud Run (微信云托管) open-API mode: with {@code cloudRun.appid}, a WeChat API
 * call without access_token acts as that app; without it the same call is 41001 as ever; naming an app
 * the server does not have is 41001 with a diagnosis that says so. A wrong token is still wrong.
 */
class CloudRunModeTest {
  @TempDir
  Path data;

  TestServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  static final String CLOUD_RUN_OA = "cloudRun:\n  appid: " + TestServer.OA + "\n";

  HttpResponse<String> uploadWithoutToken(byte[] jpeg) {
    Multipart form = new Multipart().media("photo.jpg", jpeg);
    return server.uploadRaw("/cgi-bin/media/upload?type=image", form.contentType(), form.close());
  }

  JsonNode newestRecord() {
    return json(server.get("/_tempmedia/requests?limit=1")).path("requests").get(0);
  }

  @Test
  void aCallWithoutATokenActsAsTheConfiguredApp() {
    server = TestServer.withConfig(data, CLOUD_RUN_OA);
    byte[] jpeg = MediaSamples.jpeg(50, 40);
    HttpResponse<String> up = uploadWithoutToken(jpeg);
    String id = json(up).path("media_id").asText();
    assertThat(id).as(up.body()).hasSize(64);
    assertThat(newestRecord().path("appid").asText()).isEqualTo(TestServer.OA);

    HttpResponse<byte[]> down = server.sendForBytes(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create(server.url("/cgi-bin/media/get?media_id=" + id)))
        .build());
    assertThat(down.statusCode()).isEqualTo(200);
    assertThat(down.body()).isEqualTo(jpeg);
    // It is the app's media: its own token fetches the same bytes, an empty access_token acts as it
    // too.
    assertThat(server.download(server.token("official-account"), id).body()).isEqualTo(jpeg);
    assertThat(server.download("", id).body()).isEqualTo(jpeg);
    // Another app's token does not reach it.
    HttpResponse<byte[]> other = server.download(server.token("mini-program"), id);
    assertThat(json(new String(other.body())).path("errcode").asInt()).isNotZero();
  }

  @Test
  void aWrongTokenIsStillRefusedInCloudRunMode() {
    server = TestServer.withConfig(data, CLOUD_RUN_OA);
    String id =
        json(uploadWithoutToken(MediaSamples.jpeg(8, 8))).path("media_id").asText();
    HttpResponse<byte[]> wrong = server.download("not-a-token", id);
    assertThat(json(new String(wrong.body())).path("errcode").asInt()).isEqualTo(40001);
  }

  @Test
  void withoutCloudRunACallWithoutATokenIs41001() {
    server = new TestServer(data);
    String token = server.token("official-account");
    Multipart form = new Multipart().media("photo.jpg", MediaSamples.jpeg(8, 8));
    String id = json(server.uploadRaw(
            "/cgi-bin/media/upload?access_token=" + token + "&type=image",
            form.contentType(),
            form.close()))
        .path("media_id")
        .asText();
    JsonNode got = json(server.get("/cgi-bin/media/get?media_id=" + id));
    assertThat(got.path("errcode").asInt()).as(got.toString()).isEqualTo(41001);
    assertThat(json(uploadWithoutToken(MediaSamples.jpeg(8, 8))).path("errcode").asInt())
        .isEqualTo(41001);
  }

  @Test
  void cloudRunNamingAnUnknownAppIs41001WithADiagnosis() {
    server = TestServer.withConfig(data, "cloudRun:\n  appid: wx00000000000000ff\n");
    JsonNode got = json(server.get("/cgi-bin/media/get?media_id=x"));
    assertThat(got.path("errcode").asInt()).as(got.toString()).isEqualTo(41001);
    JsonNode record = newestRecord();
    assertThat(record.path("errcode").asInt()).isEqualTo(41001);
    assertThat(record.path("diagnosis").asText())
        .contains("cloudRun.appid")
        .contains("wx00000000000000ff")
        .contains("names no app");
  }

  /** A Cloud Run container calls http://api.weixin.qq.com itself: through the proxy it works the same. */
  @Test
  void cloudRunCallsThroughTheProxyNeedNoToken() throws Exception {
    server = TestServer.withConfig(data, CLOUD_RUN_OA + "server:\n  proxy:\n    port: 0\n");
    byte[] jpeg = MediaSamples.jpeg(20, 20);
    String id = json(uploadWithoutToken(jpeg)).path("media_id").asText();
    RawHttp.Response down = RawHttp.exchange(
        server.server().proxyPort(),
        RawHttp.head(
            "GET http://api.weixin.qq.com/cgi-bin/media/get?media_id=" + id + " HTTP/1.1",
            "Host: api.weixin.qq.com"),
        false);
    assertThat(down.status()).isEqualTo(200);
    assertThat(down.body()).isEqualTo(jpeg);
  }
}
