package dev.tempmedia.it;

import static dev.tempmedia.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tempmedia.http.WeChatApi;
import dev.tempmedia.media.format.MediaFormat;
import dev.tempmedia.testing.MediaSamples;
import dev.tempmedia.testing.Multipart;
import dev.tempmedia.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SPEC §12 over real HTTP: uploadvideo, upload_attachment and uploadimg, their answers and refusals. */
class OtherUploadsTest {
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

  // ---- uploadvideo -----------------------------------------------------------------------------

  String oaVideo(String token) {
    JsonNode up = json(server.upload(token, "video", "clip.mp4", MediaSamples.mp4(40_000)));
    return up.path("media_id").asText();
  }

  HttpResponse<String> massVideo(String token, String body) {
    return server.postJson(WeChatApi.MEDIA_UPLOAD_VIDEO + "?access_token=" + token, body);
  }

  @Test
  void uploadVideoAnswersANewVideoMediaIdThatDownloadsAsTheSameVideo() throws Exception {
    String token = server.token("official-account");
    String source = oaVideo(token);
    long before = server.clock().epochSecond();
    JsonNode body = json(massVideo(
        token, "{\"media_id\":\"" + source + "\",\"title\":\"标题\",\"description\":\"d\"}"));
    assertThat(fieldNames(body)).containsExactly("type", "media_id", "created_at");
    assertThat(body.get("type").asText()).isEqualTo("video");
    String made = body.get("media_id").asText();
    assertThat(made).matches("[A-Za-z0-9_-]{64}").isNotEqualTo(source);
    assertThat(body.get("created_at").isNumber()).isTrue();
    assertThat(body.get("created_at").asLong()).isBetween(before, before + 5);
    HttpResponse<byte[]> down = server.downloadFollowingVideoUrl(token, made);
    assertThat(down.statusCode()).isEqualTo(200);
    assertThat(MediaSamples.sha256(down.body()))
        .isEqualTo(MediaSamples.sha256(MediaSamples.mp4(40_000)));
  }

  @Test
  void uploadVideoRefusesWhatIsNotAVideoOfTheSameApp() throws Exception {
    String token = server.token("official-account");
    String image = json(server.upload(token, "image", "a.jpg", MediaSamples.jpeg(20, 20)))
        .path("media_id")
        .asText();
    String video = oaVideo(token);
    int stored = server.storedObjectCount();

    assertThat(errcode(massVideo(token, "{\"media_id\":\"" + image + "\"}"))).isEqualTo(40007);
    assertThat(errcode(massVideo(token, "{\"media_id\":\"" + "A".repeat(64) + "\"}")))
        .isEqualTo(40007);
    assertThat(errcode(massVideo(token, "{\"title\":\"t\",\"description\":\"d\"}")))
        .isEqualTo(41006);
    assertThat(errcode(massVideo(token, "{\"media_id\":\"\"}"))).isEqualTo(41006);
    assertThat(errcode(massVideo(token, "{\"media_id\":\"" + video + "\",\"title\":7}")))
        .isEqualTo(47001);
    assertThat(errcode(massVideo(token, "not json"))).isEqualTo(47001);

    JsonNode other =
        json(server.postJson("/_tempmedia/apps", "{\"product\":\"official-account\"}"));
    String otherToken = json(server.get(WeChatApi.TOKEN + "?grant_type=client_credential&appid="
            + other.path("appid").asText() + "&secret=" + other.path("secret").asText()))
        .path("access_token")
        .asText();
    assertThat(errcode(massVideo(otherToken, "{\"media_id\":\"" + video + "\"}")))
        .as("another app's video")
        .isEqualTo(40007);
    assertThat(server.storedObjectCount()).as("nothing stored").isEqualTo(stored);

    server.clock().advance(Duration.ofSeconds(259_200));
    String fresh = server.token("official-account");
    assertThat(errcode(massVideo(fresh, "{\"media_id\":\"" + video + "\"}")))
        .as("expired")
        .isEqualTo(40007);
  }

  @Test
  void uploadVideoIsAnOfficialAccountEndpoint() {
    HttpResponse<String> r = massVideo(server.token("wecom"), "{\"media_id\":\"x\"}");
    assertThat(errcode(r)).isEqualTo(48001);
    assertThat(r.headers().firstValue("Error-Code")).contains("48001");
  }

  // ---- upload_attachment -----------------------------------------------------------------------

  HttpResponse<String> attachment(String token, String query, String name, byte[] bytes) {
    Multipart form = new Multipart().media(name, bytes);
    return server.uploadRaw(
        WeChatApi.MEDIA_UPLOAD_ATTACHMENT + "?access_token=" + token + "&" + query,
        form.contentType(),
        form.close());
  }

  @Test
  void uploadAttachmentAnswersLikeUploadButWithANumericCreatedAt() {
    String token = server.token("wecom");
    long before = server.clock().epochSecond();
    for (String[] c : new String[][] {
      {"media_type=image&attachment_type=1", "a.png"},
      {"attachment_type=2&media_type=file", "report.pdf"},
      {"media_type=video&attachment_type=1", "clip.mp4"}
    }) {
      byte[] bytes = c[1].endsWith(".png")
          ? MediaSamples.png(30, 30)
          : c[1].endsWith(".mp4") ? MediaSamples.mp4(20_000) : MediaSamples.random(5000, 7);
      JsonNode body = json(attachment(token, c[0], c[1], bytes));
      assertThat(fieldNames(body))
          .as(c[0])
          .containsExactly("errcode", "errmsg", "type", "media_id", "created_at");
      assertThat(body.get("errcode").asInt()).isZero();
      assertThat(body.get("media_id").asText()).hasSize(65).startsWith("3");
      assertThat(body.get("created_at").isNumber())
          .as("a number, not upload's string")
          .isTrue();
      assertThat(body.get("created_at").asLong()).isBetween(before, before + 5);
      HttpResponse<byte[]> down = server.download(token, body.get("media_id").asText());
      assertThat(MediaSamples.sha256(down.body())).isEqualTo(MediaSamples.sha256(bytes));
    }
  }

  @Test
  void uploadAttachmentRefusalsStoreNothing() {
    String token = server.token("wecom");
    int stored = server.storedObjectCount();
    byte[] png = MediaSamples.png(30, 30);
    assertThat(errcode(attachment(token, "media_type=image&attachment_type=3", "a.png", png)))
        .isEqualTo(40058);
    assertThat(errcode(attachment(token, "media_type=image", "a.png", png))).isEqualTo(40058);
    assertThat(errcode(attachment(token, "media_type=voice&attachment_type=1", "a.amr", png)))
        .isEqualTo(40004);
    assertThat(errcode(attachment(token, "attachment_type=1", "a.png", png))).isEqualTo(40004);
    assertThat(errcode(attachment(
            token, "media_type=image&attachment_type=1", "a.gif", MediaSamples.gif(9, 9))))
        .isEqualTo(40005);
    assertThat(errcode(attachment(
            token,
            "media_type=image&attachment_type=1",
            "big.png",
            MediaSamples.padTo(png, MediaFormat.PNG, 10 * 1024 * 1024 + 1))))
        .isEqualTo(40009);
    assertThat(errcode(
            attachment(token, "media_type=file&attachment_type=1", "tiny.txt", new byte[5])))
        .isEqualTo(40006);
    assertThat(server.storedObjectCount()).isEqualTo(stored);
    assertThat(errcode(attachment(
            server.token("official-account"), "media_type=image&attachment_type=1", "a.png", png)))
        .isEqualTo(48001);
  }

  // ---- uploadimg -------------------------------------------------------------------------------

  HttpResponse<String> uploadImg(String token, String name, byte[] bytes) {
    Multipart form = new Multipart().media(name, bytes);
    return server.uploadRaw(
        WeChatApi.MEDIA_UPLOAD_IMG + "?access_token=" + token, form.contentType(), form.close());
  }

  HttpResponse<byte[]> fetch(String url) {
    return server.sendForBytes(HttpRequest.newBuilder(URI.create(url)).GET().build());
  }

  @Test
  void uploadImgAnswersAPublicUrlThatOutlivesTheSweep() throws Exception {
    byte[] jpeg = MediaSamples.jpeg(40, 30);
    JsonNode oa = json(uploadImg(server.token("official-account"), "a.jpg", jpeg));
    assertThat(fieldNames(oa)).containsExactly("url");
    String url = oa.get("url").asText();
    assertThat(url).startsWith(server.server().baseUrl() + "/_tempmedia/img/").endsWith(".jpg");

    byte[] png = MediaSamples.png(10, 10);
    JsonNode wecom = json(uploadImg(server.token("wecom"), "b.png", png));
    assertThat(fieldNames(wecom)).containsExactly("errcode", "errmsg", "url");
    assertThat(wecom.get("errcode").asInt()).isZero();

    HttpResponse<byte[]> got = fetch(url);
    assertThat(got.statusCode()).isEqualTo(200);
    assertThat(got.headers().firstValue("Content-Type")).contains("image/jpeg");
    assertThat(got.body()).isEqualTo(jpeg);
    assertThat(fetch(wecom.get("url").asText()).body()).isEqualTo(png);

    server.clock().advance(Duration.ofDays(10));
    server.server().sweepExpiredMedia();
    assertThat(fetch(url).body()).as("not swept").isEqualTo(jpeg);

    // A media object's storage path is not a content image's: a guessed URL serves nothing.
    String tampered = url.replaceFirst("/img/[0-9a-f]{24}/", "/img/" + "0".repeat(24) + "/");
    assertThat(json(new String(fetch(tampered).body())).path("errcode").asInt()).isEqualTo(40007);
  }

  @Test
  void uploadImgIsListedAndPurgedByTheOperator() {
    byte[] jpeg = MediaSamples.jpeg(40, 30);
    String url = json(uploadImg(server.token("official-account"), "a.jpg", jpeg))
        .get("url")
        .asText();
    JsonNode listed = json(server.get("/_tempmedia/images?appid=" + TestServer.OA));
    assertThat(listed.path("images")).hasSize(1);
    JsonNode image = listed.path("images").get(0);
    assertThat(image.path("url").asText()).isEqualTo(url);
    assertThat(image.path("size").asLong()).isEqualTo(jpeg.length);
    assertThat(json(server.get("/_tempmedia/images?appid=" + TestServer.CORP)).path("images"))
        .isEmpty();
    assertThat(json(server.get("/_tempmedia/media?appid=" + TestServer.OA)).path("media"))
        .as("not temporary media")
        .isEmpty();

    String name = image.path("name").asText();
    HttpResponse<String> purged =
        server.call("DELETE", "/_tempmedia/images/" + name + "?appid=" + TestServer.OA, null);
    assertThat(purged.statusCode()).as(purged.body()).isEqualTo(200);
    assertThat(json(new String(fetch(url).body())).path("errcode").asInt()).isEqualTo(40007);
    assertThat(server
            .call("DELETE", "/_tempmedia/images/" + name + "?appid=" + TestServer.OA, null)
            .statusCode())
        .isEqualTo(404);
  }

  @Test
  void uploadImgRefusalsStoreNothing() {
    String oa = server.token("official-account");
    String wecom = server.token("wecom");
    int stored = server.storedObjectCount();
    assertThat(errcode(uploadImg(oa, "a.gif", MediaSamples.gif(9, 9)))).isEqualTo(40005);
    assertThat(errcode(uploadImg(
            oa,
            "big.jpg",
            MediaSamples.padTo(MediaSamples.jpeg(9, 9), MediaFormat.JPEG, 1024 * 1024 + 1))))
        .isEqualTo(40009);
    assertThat(errcode(uploadImg(
            wecom,
            "big.png",
            MediaSamples.padTo(MediaSamples.png(9, 9), MediaFormat.PNG, 2 * 1024 * 1024 + 1))))
        .isEqualTo(40009);
    assertThat(errcode(uploadImg(wecom, "e.png", new byte[0]))).isEqualTo(44001);
    assertThat(errcode(server.uploadRaw(
            WeChatApi.MEDIA_UPLOAD_IMG + "?access_token=" + oa, "application/json", new byte[2])))
        .isEqualTo(41005);
    assertThat(errcode(uploadImg(server.token("mini-program"), "a.png", MediaSamples.png(9, 9))))
        .isEqualTo(48001);
    assertThat(server.storedObjectCount()).isEqualTo(stored);
  }

  @Test
  void aFormWhoseContentTypeNamesNoBoundaryIsReadByItsFirstLine() {
    // WxJava 4.6's HttpClient 4 executor of uploadimg sends "multipart/form-data;
    // charset=ISO-8859-1".
    byte[] jpeg = MediaSamples.jpeg(12, 12);
    Multipart form = new Multipart().media("a.jpg", jpeg);
    String noBoundary = "multipart/form-data; charset=ISO-8859-1";
    byte[] body = form.close();
    JsonNode img = json(server.uploadRaw(
        WeChatApi.MEDIA_UPLOAD_IMG + "?access_token=" + server.token("official-account"),
        noBoundary,
        body));
    assertThat(img.path("url").asText()).as(img.toString()).contains("/_tempmedia/img/");
    JsonNode up = json(server.uploadRaw(
        WeChatApi.MEDIA_UPLOAD + "?type=image&access_token=" + server.token("official-account"),
        noBoundary,
        body));
    assertThat(up.path("media_id").asText()).as(up.toString()).hasSize(64);
    assertThat(errcode(server.uploadRaw(
            WeChatApi.MEDIA_UPLOAD + "?type=image&access_token=" + server.token("official-account"),
            noBoundary,
            "not a form at all".getBytes(java.nio.charset.StandardCharsets.US_ASCII))))
        .isEqualTo(41005);
  }

  static int errcode(HttpResponse<String> r) {
    return json(r).path("errcode").asInt();
  }

  static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
