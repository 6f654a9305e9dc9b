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
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC §10 over raw HTTP: the send endpoints of each product, the checks of every media id in a
 * message, the refusals with WeChat's codes (and nothing kept), and the outbox's filters, limit,
 * wait and clear.
 */
class OutboxTest {
  @TempDir
  Path data;

  TestServer server;
  String oa;
  String corp;

  @BeforeEach
  void start() {
    server = new TestServer(data);
    oa = server.token("official-account");
    corp = server.token("wecom");
    server.call("DELETE", OperatorApi.MESSAGES, null);
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private String upload(String token, String type, String name, byte[] bytes) {
    JsonNode up = json(server.upload(token, type, name, bytes));
    // A thumb is answered as thumb_media_id, as WeChat does.
    String id = up.path(type.equals("thumb") ? "thumb_media_id" : "media_id").asText();
    assertThat(id).as(up.toString()).isNotEmpty();
    return id;
  }

  private JsonNode send(String path, String token, String body) {
    HttpResponse<String> r = server.postJson(path + "?access_token=" + token, body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return json(r);
  }

  private JsonNode messages(String query) {
    HttpResponse<String> r = server.get(OperatorApi.MESSAGES + query);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return json(r).path("messages");
  }

  private JsonNode lastDiagnosis() {
    return json(server.get(OperatorApi.REQUESTS + "?limit=1")).path("requests").get(0);
  }

  /** Sends, expects {@code errcode}, and checks that nothing reached the outbox. */
  private JsonNode refused(String path, String token, String body, int errcode) {
    JsonNode answer = send(path, token, body);
    assertThat(answer.path("errcode").asInt()).as(answer.toString()).isEqualTo(errcode);
    assertThat(messages("")).as("nothing kept").isEmpty();
    return lastDiagnosis();
  }

  @Test
  void anOfficialAccountImageMessageIsKeptWithItsMediaResolved() {
    byte[] png = MediaSamples.png(40, 30);
    String image = upload(oa, "image", "p.png", png);
    String body =
        "{\"touser\":\"oUserA\",\"msgtype\":\"image\",\"image\":{\"media_id\":\"" + image + "\"}}";
    JsonNode answer = send(WeChatApi.MESSAGE_CUSTOM_SEND, oa, body);
    assertThat(answer.toString()).isEqualTo("{\"errcode\":0,\"errmsg\":\"ok\"}");

    JsonNode m = messages("?appid=" + TestServer.OA).get(0);
    assertThat(m.path("appid").asText()).isEqualTo(TestServer.OA);
    assertThat(m.path("product").asText()).isEqualTo("official-account");
    assertThat(m.path("endpoint").asText()).isEqualTo(WeChatApi.MESSAGE_CUSTOM_SEND);
    assertThat(m.path("to").asText()).isEqualTo("oUserA");
    assertThat(m.path("msgtype").asText()).isEqualTo("image");
    assertThat(m.path("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    assertThat(m.path("id").asText()).matches("[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}");
    assertThat(m.path("body")).isEqualTo(json(body));
    JsonNode media = m.path("media").get(0);
    assertThat(media.path("field").asText()).isEqualTo("image.media_id");
    assertThat(media.path("mediaId").asText()).isEqualTo(image);
    assertThat(media.path("type").asText()).isEqualTo("image");
    assertThat(media.path("contentType").asText()).isEqualTo("image/png");
    assertThat(media.path("size").asLong()).isEqualTo(png.length);
  }

  @Test
  void aVideoWithItsThumbAndAMusicThumbResolveEachField() {
    String video = upload(oa, "video", "v.mp4", MediaSamples.mp4(50_000));
    byte[] thumbBytes = MediaSamples.jpeg(32, 32);
    String thumb = upload(oa, "thumb", "t.jpg", thumbBytes);
    send(
        WeChatApi.MESSAGE_CUSTOM_SEND,
        oa,
        "{\"touser\":\"oUserV\",\"msgtype\":\"video\",\"video\":{\"media_id\":\"" + video
            + "\",\"thumb_media_id\":\"" + thumb + "\",\"title\":\"t\",\"description\":\"d\"}}");
    JsonNode media = messages("?to=oUserV").get(0).path("media");
    assertThat(media).hasSize(2);
    assertThat(media.get(0).path("field").asText()).isEqualTo("video.media_id");
    assertThat(media.get(0).path("contentType").asText()).isEqualTo("video/mp4");
    assertThat(media.get(0).path("size").asLong()).isEqualTo(50_000);
    assertThat(media.get(1).path("field").asText()).isEqualTo("video.thumb_media_id");
    assertThat(media.get(1).path("type").asText()).isEqualTo("thumb");
    assertThat(media.get(1).path("size").asLong()).isEqualTo(thumbBytes.length);

    send(
        WeChatApi.MESSAGE_CUSTOM_SEND,
        oa,
        "{\"touser\":\"oUserV\",\"msgtype\":\"music\",\"music\":{\"title\":\"m\","
            + "\"musicurl\":\"https://example.invalid/m.mp3\",\"thumb_media_id\":\"" + thumb
            + "\"}}");
    JsonNode music = messages("?to=oUserV&msgtype=music").get(0);
    assertThat(music.path("media").get(0).path("field").asText()).isEqualTo("music.thumb_media_id");
  }

  @Test
  void aMediaIdOfTheWrongTypeIs40007NamingTheFieldAndWhatItNeeds() {
    String voice = upload(oa, "voice", "n.amr", MediaSamples.amr(2));
    JsonNode seen = refused(
        WeChatApi.MESSAGE_CUSTOM_SEND,
        oa,
        "{\"touser\":\"o1\",\"msgtype\":\"image\",\"image\":{\"media_id\":\"" + voice + "\"}}",
        40007);
    assertThat(seen.path("diagnosis").asText())
        .isEqualTo("media_id " + voice + " is a voice, but image.media_id needs an image");
    // An image is no thumb either: the official account's video thumb is a thumb upload.
    String image = upload(oa, "image", "p.jpg", MediaSamples.jpeg(10, 10));
    String video = upload(oa, "video", "v.mp4", MediaSamples.mp4(20_000));
    seen = refused(
        WeChatApi.MESSAGE_CUSTOM_SEND,
        oa,
        "{\"touser\":\"o1\",\"msgtype\":\"video\",\"video\":{\"media_id\":\"" + video
            + "\",\"thumb_media_id\":\"" + image + "\"}}",
        40007);
    assertThat(seen.path("diagnosis").asText()).endsWith("video.thumb_media_id needs a thumb");
  }

  @Test
  void anExpiredMediaIdIs40007SayingWhenItExpired() {
    String image = upload(oa, "image", "p.jpg", MediaSamples.jpeg(10, 10));
    server.postJson(OperatorApi.CLOCK, "{\"advance\":\"PT73H\"}");
    String fresh = server.token("official-account");
    JsonNode seen = refused(
        WeChatApi.MESSAGE_CUSTOM_SEND,
        fresh,
        "{\"touser\":\"o1\",\"msgtype\":\"image\",\"image\":{\"media_id\":\"" + image + "\"}}",
        40007);
    assertThat(seen.path("diagnosis").asText())
        .startsWith("image.media_id: media_id expired at ")
        .contains(", 60 min ago (media lives 3 days");
  }

  @Test
  void mediaOfAnotherAppOrCorpIs40007NamingItsOwner() {
    String mp = server.token("mini-program");
    String theirs = upload(mp, "image", "p.jpg", MediaSamples.jpeg(10, 10));
    JsonNode seen = refused(
        WeChatApi.MESSAGE_CUSTOM_SEND,
        oa,
        "{\"touser\":\"o1\",\"msgtype\":\"image\",\"image\":{\"media_id\":\"" + theirs + "\"}}",
        40007);
    assertThat(seen.path("diagnosis").asText())
        .isEqualTo("image.media_id: media belongs to mini-program app " + TestServer.MP
            + ", but the token is for " + TestServer.OA
            + "; media is visible only to the app (WeCom: the corp) that uploaded it");

    JsonNode other = json(server.postJson(OperatorApi.APPS, "{\"product\":\"wecom\"}"));
    String otherToken = json(server.get(WeChatApi.WECOM_TOKEN + "?corpid="
            + other.path("corpid").asText() + "&corpsecret="
            + other.path("secret").asText()))
        .path("access_token")
        .asText();
    String otherCorps = upload(otherToken, "file", "r.pdf", MediaSamples.random(900, 1));
    JsonNode answer = send(
        WeChatApi.WECOM_MESSAGE_SEND,
        corp,
        "{\"touser\":\"zhangsan\",\"agentid\":1000002,\"msgtype\":\"file\",\"file\":{\"media_id\":\""
            + otherCorps + "\"}}");
    assertThat(answer.path("errcode").asInt()).isEqualTo(40007);
    // WeCom's flavour: the hint, the caller's address and the error-code page.
    assertThat(answer.path("errmsg").asText())
        .matches("invalid media_id, hint: \\[\\d+\\], from ip: \\S+, more info at "
            + "https://open\\.work\\.weixin\\.qq\\.com/devtool/query\\?e=40007");
    assertThat(lastDiagnosis().path("diagnosis").asText())
        .contains("media belongs to wecom app " + other.path("corpid").asText());
    assertThat(messages("")).isEmpty();
  }

  @Test
  void shapeErrorsUseWeChatsCodes() {
    String m = WeChatApi.MESSAGE_CUSTOM_SEND;
    assertThat(refused(m, oa, "{\"msgtype\":\"text\",\"text\":{\"content\":\"hi\"}}", 40003)
            .path("diagnosis")
            .asText())
        .isEqualTo("touser is missing: it names the user's openid");
    assertThat(refused(m, oa, "{\"touser\":\"o1\",\"msgtype\":\"sticker\"}", 40008)
            .path("diagnosis")
            .asText())
        .startsWith("msgtype \"sticker\" is not a message type of " + m
            + " for official-account apps; it takes [text, image, voice, video, music,");
    refused(m, oa, "{\"touser\":\"o1\",\"msgtype\":\"text\",\"text\":{\"content\":\"\"}}", 44004);
    refused(
        m,
        oa,
        "{\"touser\":\"o1\",\"msgtype\":\"text\",\"text\":{\"content\":\"" + "字".repeat(700)
            + "\"}}",
        45002);
    assertThat(refused(m, oa, "{\"touser\":\"o1\",\"msgtype\":\"image\",\"image\":{}}", 41006)
            .path("diagnosis")
            .asText())
        .isEqualTo("image.media_id is missing: this message needs an image there");
    refused(m, oa, "{\"touser\":\"o1\",\"msgtype\":\"news\",\"news\":{\"articles\":[]}}", 44003);
    refused(
        m,
        oa,
        "{\"touser\":\"o1\",\"msgtype\":\"news\",\"news\":{\"articles\":[{\"title\":\"a\"},"
            + "{\"title\":\"b\"}]}}",
        45008);
    refused(m, oa, "{\"touser\":", 47001);
    // A mini program has no voice messages.
    refused(
        m,
        server.token("mini-program"),
        "{\"touser\":\"o1\",\"msgtype\":\"voice\",\"voice\":{\"media_id\":\"x\"}}",
        40008);
    // WeCom's app messages have no customer-service endpoint.
    refused(
        m, corp, "{\"touser\":\"o1\",\"msgtype\":\"text\",\"text\":{\"content\":\"x\"}}", 48001);
  }

  @Test
  void weComAppMessagesAnswerWeComsBodyAndNeedAnAgentAndARecipient() {
    String file = upload(corp, "file", "report.pdf", MediaSamples.random(1200, 2));
    JsonNode answer = send(
        WeChatApi.WECOM_MESSAGE_SEND,
        corp,
        "{\"toparty\":\"2|3\",\"agentid\":\"1000002\",\"msgtype\":\"file\",\"file\":{\"media_id\":\""
            + file + "\"}}");
    assertThat(answer.path("errcode").asInt()).isZero();
    assertThat(answer.path("errmsg").asText()).isEqualTo("ok");
    for (String empty :
        new String[] {"invaliduser", "invalidparty", "invalidtag", "unlicenseduser"}) {
      assertThat(answer.path(empty).asText()).as(empty).isEmpty();
    }
    assertThat(answer.path("msgid").asText()).hasSizeGreaterThan(10);
    assertThat(answer.path("response_code").asText()).hasSizeGreaterThan(10);
    JsonNode kept = messages("?appid=" + TestServer.CORP).get(0);
    assertThat(kept.path("to").asText()).isEqualTo("2|3");
    assertThat(kept.path("media").get(0).path("type").asText()).isEqualTo("file");
    assertThat(kept.path("media").get(0).path("size").asLong()).isEqualTo(1200);
    server.call("DELETE", OperatorApi.MESSAGES, null);

    String s = WeChatApi.WECOM_MESSAGE_SEND;
    String text = "\"msgtype\":\"text\",\"text\":{\"content\":\"hi\"}";
    refused(s, corp, "{\"touser\":\"u\"," + text + "}", 41011);
    refused(s, corp, "{\"touser\":\"u\",\"agentid\":\"app\"," + text + "}", 40056);
    assertThat(refused(s, corp, "{\"touser\":\"\",\"agentid\":1," + text + "}", 81013)
            .path("errmsg")
            .asText())
        .startsWith("user & party & tag all invalid, hint: [");
  }

  @Test
  void weComMpnewsChecksEveryArticlesThumbUnlessItNamesPermanentMaterial() {
    String image = upload(corp, "image", "p.jpg", MediaSamples.jpeg(16, 16));
    String voice = upload(corp, "voice", "v.amr", MediaSamples.amr(1));
    String articles =
        "{\"title\":\"a\",\"thumb_media_id\":\"" + image + "\",\"content\":\"<p>x</p>\"},"
            + "{\"title\":\"b\",\"thumb_media_id\":\"" + voice + "\",\"content\":\"<p>y</p>\"}";
    JsonNode seen = refused(
        WeChatApi.WECOM_APPCHAT_SEND,
        corp,
        "{\"chatid\":\"chat1\",\"msgtype\":\"mpnews\",\"mpnews\":{\"articles\":[" + articles
            + "]}}",
        40007);
    assertThat(seen.path("diagnosis").asText())
        .isEqualTo("media_id " + voice + " is a voice, but mpnews.articles[1].thumb_media_id"
            + " needs an image");

    send(
        WeChatApi.WECOM_APPCHAT_SEND,
        corp,
        "{\"chatid\":\"chat1\",\"msgtype\":\"mpnews\",\"mpnews\":{\"articles\":["
            + articles.replace(voice, image) + "]}}");
    JsonNode media = messages("?to=chat1").get(0).path("media");
    assertThat(media).hasSize(2);
    assertThat(media.get(1).path("field").asText()).isEqualTo("mpnews.articles[1].thumb_media_id");
    send(
        WeChatApi.WECOM_APPCHAT_SEND,
        corp,
        "{\"chatid\":\"chat1\",\"msgtype\":\"mpnews\",\"mpnews\":{\"media_id\":\"2-permanent\"}}");
    assertThat(messages("?to=chat1").get(0).path("media")).isEmpty();
    server.call("DELETE", OperatorApi.MESSAGES, null);
    refused(
        WeChatApi.WECOM_APPCHAT_SEND,
        corp,
        "{\"msgtype\":\"text\",\"text\":{\"content\":\"x\"}}",
        86001);
  }

  @Test
  void kfMessagesAnswerTheCallersOwnMsgidOrANewOne() {
    String image = upload(corp, "image", "p.jpg", MediaSamples.jpeg(16, 16));
    String body = "{\"touser\":\"wmExternal\",\"open_kfid\":\"wkKf1\",%s\"msgtype\":\"link\","
        + "\"link\":{\"title\":\"t\",\"url\":\"https://example.invalid\",\"thumb_media_id\":\""
        + image + "\"}}";
    JsonNode own = send(WeChatApi.WECOM_KF_SEND, corp, body.formatted("\"msgid\":\"mine-1\","));
    assertThat(own.path("msgid").asText()).isEqualTo("mine-1");
    JsonNode made = send(WeChatApi.WECOM_KF_SEND, corp, body.formatted(""));
    assertThat(made.path("errcode").asInt()).isZero();
    assertThat(made.path("msgid").asText()).isNotBlank().isNotEqualTo("mine-1");
    JsonNode kept = messages("?to=wmExternal");
    assertThat(kept).hasSize(2);
    assertThat(kept.get(0).path("media").get(0).path("field").asText())
        .isEqualTo("link.thumb_media_id");

    server.call("DELETE", OperatorApi.MESSAGES, null);
    String text = "\"msgtype\":\"text\",\"text\":{\"content\":\"x\"}";
    refused(WeChatApi.WECOM_KF_SEND, corp, "{\"touser\":\"wm\"," + text + "}", 95000);
    refused(WeChatApi.WECOM_KF_SEND, corp, "{\"open_kfid\":\"wk\"," + text + "}", 40096);
  }

  @Test
  void theOutboxFiltersLimitsAndListsNewestFirstThenClears() {
    for (int i = 0; i < 5; i++) {
      send(
          WeChatApi.MESSAGE_CUSTOM_SEND,
          oa,
          "{\"touser\":\"o" + (i % 2) + "\",\"msgtype\":\"text\",\"text\":{\"content\":\"n" + i
              + "\"}}");
    }
    JsonNode all = messages("");
    assertThat(all).hasSize(5);
    assertThat(all.get(0).path("body").path("text").path("content").asText()).isEqualTo("n4");
    assertThat(messages("?to=o1")).hasSize(2);
    assertThat(messages("?to=o0&limit=2")).hasSize(2);
    assertThat(messages("?msgtype=image")).isEmpty();
    assertThat(messages("?appid=" + TestServer.MP)).isEmpty();

    assertThat(server.call("DELETE", OperatorApi.MESSAGES, null).statusCode()).isEqualTo(200);
    assertThat(messages("")).isEmpty();
  }

  @Test
  void aWaitingReaderIsAnsweredWhenItsMessageArrives() throws Exception {
    long started = System.nanoTime();
    CompletableFuture<JsonNode> waiting =
        CompletableFuture.supplyAsync(() -> messages("?to=oLate&wait=PT20S"));
    Thread.sleep(300);
    assertThat(waiting).isNotDone();
    // A message for someone else does not answer it: once it has arrived (and woken whoever it
    // was for), the reader still waits.
    send(
        WeChatApi.MESSAGE_CUSTOM_SEND,
        oa,
        "{\"touser\":\"oOther\",\"msgtype\":\"text\",\"text\":{\"content\":\"x\"}}");
    assertThat(server.tempmedia().messages().take(Duration.ofSeconds(5)).to()).isEqualTo("oOther");
    assertThat(waiting).isNotDone();
    send(
        WeChatApi.MESSAGE_CUSTOM_SEND,
        oa,
        "{\"touser\":\"oLate\",\"msgtype\":\"text\",\"text\":{\"content\":\"here\"}}");
    JsonNode found = waiting.get(10, TimeUnit.SECONDS);
    assertThat(found).hasSize(1);
    assertThat(found.get(0).path("to").asText()).isEqualTo("oLate");
    assertThat(System.nanoTime() - started).isLessThan(TimeUnit.SECONDS.toNanos(10));

    // A message already there answers at once; none arriving answers [] when the wait ends.
    assertThat(messages("?to=oLate&wait=PT20S")).hasSize(1);
    long t0 = System.nanoTime();
    assertThat(messages("?to=nobody&wait=PT0.4S")).isEmpty();
    assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(390));
  }

  @Test
  void aFaultRulePlaysTheFortyEightHourWindowAndNothingIsKept() {
    server.postJson(
        OperatorApi.FAULTS,
        "{\"path\":\"" + WeChatApi.MESSAGE_CUSTOM_SEND + "\",\"errcode\":45015,\"times\":1}");
    JsonNode seen = refused(
        WeChatApi.MESSAGE_CUSTOM_SEND,
        oa,
        "{\"touser\":\"o1\",\"msgtype\":\"text\",\"text\":{\"content\":\"x\"}}",
        45015);
    assertThat(seen.path("errmsg").asText())
        .startsWith("response out of time limit or subscription is canceled rid: ");
  }

  @Test
  void aReaderThatGoesAwayNoLongerWaits() throws Exception {
    java.net.Socket socket = new java.net.Socket("127.0.0.1", server.server().port());
    socket
        .getOutputStream()
        .write(("GET " + OperatorApi.MESSAGES + "?to=gone&wait=PT25S HTTP/1.1\r\nHost: x\r\n\r\n")
            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (server.server().outboxWaiting() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(server.server().outboxWaiting()).isEqualTo(1);
    socket.close();
    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (server.server().outboxWaiting() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(server.server().outboxWaiting())
        .as("the reader's place is freed")
        .isZero();
  }

  @Test
  void aWaitThatIsNotADurationOrTooLongIs400() {
    for (String wait : new String[] {"5", "PT31S", "-PT1S"}) {
      HttpResponse<String> r = server.get(OperatorApi.MESSAGES + "?wait=" + wait);
      assertThat(r.statusCode()).as(wait).isEqualTo(400);
      assertThat(json(r).path("error").asText()).startsWith("wait must be");
    }
  }
}
