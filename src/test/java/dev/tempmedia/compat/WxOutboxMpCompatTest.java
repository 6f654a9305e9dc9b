package dev.tempmedia.compat;

import static dev.tempmedia.compat.OutboxReader.assertMedia;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tempmedia.testing.MediaSamples;
import dev.tempmedia.testing.TestServer;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import me.chanjar.weixin.common.error.WxErrorException;
import me.chanjar.weixin.mp.api.WxMpService;
import me.chanjar.weixin.mp.bean.kefu.WxMpKefuMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * weixin-java-mp's customer-service sends ({@code getKefuService().sendKefuMessage}) against
 * tempmedia, with every HTTP backend: media uploaded through WxJava, sent through WxJava, read back
 * from the outbox; and the refusals, which WxJava raises as {@link WxErrorException} and the outbox
 * never keeps.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WxOutboxMpCompatTest {
  static final String ENDPOINT = "/cgi-bin/message/custom/send";

  TestServer server;
  OutboxReader outbox;

  @TempDir
  Path files;

  @BeforeAll
  void start(@TempDir Path data) {
    server = new TestServer(data);
    outbox = new OutboxReader(server);
  }

  @AfterAll
  void stop() {
    server.close();
  }

  WxMpService client(WxBackend backend) {
    return backend.officialAccount(
        server.server().baseUrl(), TestServer.OA, TestServer.OA_SECRET, false);
  }

  File file(String name, byte[] bytes) throws Exception {
    Path dir = Files.createTempDirectory(files, "f");
    return Files.write(dir.resolve(name), bytes).toFile();
  }

  String upload(WxMpService wx, String type, String name, byte[] bytes) throws Exception {
    var result = wx.getMaterialService().mediaUpload(type, file(name, bytes));
    return type.equals("thumb") ? result.getThumbMediaId() : result.getMediaId();
  }

  /** Sends through WxJava and answers the one message the outbox kept, body as WxJava wrote it. */
  JsonNode sent(WxMpService wx, WxMpKefuMessage message) throws Exception {
    assertThat(wx.getKefuService().sendKefuMessage(message)).isTrue();
    JsonNode m = outbox.only(
        TestServer.OA, "official-account", ENDPOINT, message.getToUser(), message.getMsgType());
    assertThat(m.path("body")).isEqualTo(TestServer.json(message.toJson()));
    assertThat(m.path("body").path("touser").asText()).isEqualTo(message.getToUser());
    return m;
  }

  @ParameterizedTest
  @EnumSource(WxBackend.class)
  void imageAndVoiceAreKeptWithTheirUploads(WxBackend backend) throws Exception {
    WxMpService wx = client(backend);
    byte[] jpeg = MediaSamples.jpeg(64, 48);
    String image = upload(wx, "image", "photo.jpg", jpeg);
    String to = OutboxReader.recipient("o_image", backend);
    JsonNode m = sent(wx, WxMpKefuMessage.IMAGE().toUser(to).mediaId(image).build());
    assertThat(m.path("media")).hasSize(1);
    assertMedia(m.path("media").get(0), "image.media_id", image, "image", "image/jpeg", jpeg);
    assertThat(m.path("body").path("image").path("media_id").asText()).isEqualTo(image);

    byte[] amr = MediaSamples.amr(3);
    String voice = upload(wx, "voice", "note.amr", amr);
    to = OutboxReader.recipient("o_voice", backend);
    m = sent(wx, WxMpKefuMessage.VOICE().toUser(to).mediaId(voice).build());
    assertThat(m.path("media")).hasSize(1);
    assertMedia(m.path("media").get(0), "voice.media_id", voice, "voice", "audio/amr", amr);
  }

  @ParameterizedTest
  @EnumSource(WxBackend.class)
  void aVideoCarriesItsThumbAndBothAreResolved(WxBackend backend) throws Exception {
    WxMpService wx = client(backend);
    byte[] mp4 = MediaSamples.mp4(40_000);
    byte[] thumbJpeg = MediaSamples.jpeg(60, 60);
    String video = upload(wx, "video", "clip.mp4", mp4);
    String thumb = upload(wx, "thumb", "thumb.jpg", thumbJpeg);
    String to = OutboxReader.recipient("o_video", backend);
    JsonNode m = sent(
        wx,
        WxMpKefuMessage.VIDEO()
            .toUser(to)
            .mediaId(video)
            .thumbMediaId(thumb)
            .title("新品")
            .description("a clip")
            .build());
    assertThat(m.path("media")).hasSize(2);
    assertMedia(m.path("media").get(0), "video.media_id", video, "video", "video/mp4", mp4);
    assertMedia(
        m.path("media").get(1), "video.thumb_media_id", thumb, "thumb", "image/jpeg", thumbJpeg);
    assertThat(m.path("body").path("video").path("title").asText()).isEqualTo("新品");
  }

  @ParameterizedTest
  @EnumSource(WxBackend.class)
  void musicCarriesItsThumb(WxBackend backend) throws Exception {
    WxMpService wx = client(backend);
    byte[] thumbJpeg = MediaSamples.jpeg(50, 50);
    String thumb = upload(wx, "thumb", "cover.jpg", thumbJpeg);
    String to = OutboxReader.recipient("o_music", backend);
    JsonNode m = sent(
        wx,
        WxMpKefuMessage.MUSIC()
            .toUser(to)
            .title("晚安曲")
            .description("a song")
            .musicUrl("https://example.com/a.mp3")
            .hqMusicUrl("https://example.com/a-hq.mp3")
            .thumbMediaId(thumb)
            .build());
    assertThat(m.path("media")).hasSize(1);
    assertMedia(
        m.path("media").get(0), "music.thumb_media_id", thumb, "thumb", "image/jpeg", thumbJpeg);
    assertThat(m.path("body").path("music").path("musicurl").asText())
        .isEqualTo("https://example.com/a.mp3");
  }

  @ParameterizedTest
  @EnumSource(WxBackend.class)
  void aMiniProgramCardTakesAThumbOrAnImageAsItsPicture(WxBackend backend) throws Exception {
    WxMpService wx = client(backend);
    byte[] thumbJpeg = MediaSamples.jpeg(52, 42);
    byte[] png = MediaSamples.png(104, 83);
    String thumb = upload(wx, "thumb", "card.jpg", thumbJpeg);
    String image = upload(wx, "image", "card.png", png);
    Object[][] pictures = {
      {thumb, "thumb", "image/jpeg", thumbJpeg}, {image, "image", "image/png", png}
    };
    for (Object[] p : pictures) {
      String to = OutboxReader.recipient("o_card", backend);
      JsonNode m = sent(
          wx,
          WxMpKefuMessage.MINIPROGRAMPAGE()
              .toUser(to)
              .title("订单详情")
              .appId(TestServer.MP)
              .pagePath("pages/order/detail?id=42")
              .thumbMediaId((String) p[0])
              .build());
      assertThat(m.path("media")).hasSize(1);
      assertMedia(
          m.path("media").get(0),
          "miniprogrampage.thumb_media_id",
          (String) p[0],
          (String) p[1],
          (String) p[2],
          (byte[]) p[3]);
      assertThat(m.path("body").path("miniprogrampage").path("appid").asText())
          .isEqualTo(TestServer.MP);
    }
  }

  @ParameterizedTest
  @EnumSource(WxBackend.class)
  void anExpiredImageIsRefusedWith40007AndNotKept(WxBackend backend) throws Exception {
    WxMpService wx = client(backend);
    String image = upload(wx, "image", "old.jpg", MediaSamples.jpeg(20, 20));
    // Temporary media lives three days; the operator clock moves past that. WxJava's cached token
    // has expired too: the send first meets 42001, fetches a new token and retries.
    assertThat(server.postJson("/_tempmedia/clock", "{\"advance\":\"PT73H\"}").statusCode())
        .isEqualTo(200);
    String to = OutboxReader.recipient("o_expired", backend);
    WxErrorException e = catchThrowableOfType(
        WxErrorException.class,
        () -> wx.getKefuService()
            .sendKefuMessage(WxMpKefuMessage.IMAGE().toUser(to).mediaId(image).build()));
    assertThat(e.getError().getErrorCode()).isEqualTo(40007);
    JsonNode refused = outbox.lastRequest(TestServer.OA);
    assertThat(refused.path("path").asText()).isEqualTo(ENDPOINT);
    assertThat(refused.path("errcode").asInt()).isEqualTo(40007);
    assertThat(refused.path("diagnosis").asText())
        .startsWith("image.media_id: ")
        .contains("media_id expired at ");
    outbox.none(TestServer.OA, to);
  }

  @ParameterizedTest
  @EnumSource(WxBackend.class)
  void anotherAppsImageIsRefusedWith40007AndNotKept(WxBackend backend) throws Exception {
    JsonNode other =
        TestServer.json(server.postJson("/_tempmedia/apps", "{\"product\":\"official-account\"}"));
    String otherId = other.path("appid").asText();
    String otherToken = TestServer.json(server.get("/cgi-bin/token?grant_type=client_credential"
            + "&appid=" + otherId + "&secret=" + other.path("secret").asText()))
        .path("access_token")
        .asText();
    String foreign = TestServer.json(
            server.upload(otherToken, "image", "a.jpg", MediaSamples.jpeg(16, 16)))
        .path("media_id")
        .asText();
    assertThat(foreign).hasSize(64);
    WxMpService wx = client(backend);
    String to = OutboxReader.recipient("o_foreign", backend);
    WxErrorException e = catchThrowableOfType(
        WxErrorException.class,
        () -> wx.getKefuService()
            .sendKefuMessage(WxMpKefuMessage.IMAGE().toUser(to).mediaId(foreign).build()));
    assertThat(e.getError().getErrorCode()).isEqualTo(40007);
    assertThat(outbox.lastRequest(TestServer.OA).path("diagnosis").asText())
        .startsWith("image.media_id: ")
        .contains("media belongs to official-account app " + otherId);
    outbox.none(TestServer.OA, to);
  }

  @ParameterizedTest
  @EnumSource(WxBackend.class)
  void aVoiceSentAsAnImageIsRefusedWith40007(WxBackend backend) throws Exception {
    WxMpService wx = client(backend);
    String voice = upload(wx, "voice", "note.amr", MediaSamples.amr(2));
    String to = OutboxReader.recipient("o_wrongtype", backend);
    WxErrorException e = catchThrowableOfType(
        WxErrorException.class,
        () -> wx.getKefuService()
            .sendKefuMessage(WxMpKefuMessage.IMAGE().toUser(to).mediaId(voice).build()));
    assertThat(e.getError().getErrorCode()).isEqualTo(40007);
    assertThat(outbox.lastRequest(TestServer.OA).path("diagnosis").asText())
        .contains("is a voice")
        .contains("image.media_id needs");
    outbox.none(TestServer.OA, to);
  }

  @ParameterizedTest
  @EnumSource(WxBackend.class)
  void anImageWithoutItsMediaIdIsRefusedWith41006(WxBackend backend) throws Exception {
    WxMpService wx = client(backend);
    String to = OutboxReader.recipient("o_noid", backend);
    WxErrorException e = catchThrowableOfType(
        WxErrorException.class,
        () -> wx.getKefuService()
            .sendKefuMessage(WxMpKefuMessage.IMAGE().toUser(to).build()));
    assertThat(e.getError().getErrorCode()).isEqualTo(41006);
    outbox.none(TestServer.OA, to);
  }

  @ParameterizedTest
  @EnumSource(WxBackend.class)
  void anUnknownMsgtypeIsRefusedWith40008(WxBackend backend) throws Exception {
    WxMpService wx = client(backend);
    String image = upload(wx, "image", "a.jpg", MediaSamples.jpeg(12, 12));
    String to = OutboxReader.recipient("o_msgtype", backend);
    // WxMpKefuMessage's JSON adapter throws on a msgtype it does not know ("非法消息类型"), so the
    // message never leaves WxJava's builder; the raw body goes through WxMpService.post instead,
    // which still adds the token, reads the answer and raises the error as any WxJava call does.
    String body = "{\"touser\":\"" + to
        + "\",\"msgtype\":\"hologram\",\"hologram\":{\"media_id\":\"" + image + "\"}}";
    WxErrorException e = catchThrowableOfType(
        WxErrorException.class, () -> wx.post(server.server().baseUrl() + ENDPOINT, body));
    assertThat(e.getError().getErrorCode()).isEqualTo(40008);
    assertThat(outbox.lastRequest(TestServer.OA).path("diagnosis").asText()).contains("hologram");
    outbox.none(TestServer.OA, to);
  }

  @ParameterizedTest
  @EnumSource(WxBackend.class)
  void aMessageWithoutItsRecipientIsRefusedWith40003(WxBackend backend) throws Exception {
    WxMpService wx = client(backend);
    String image = upload(wx, "image", "a.jpg", MediaSamples.jpeg(12, 12));
    String before = outbox.newest(TestServer.OA);
    WxErrorException e = catchThrowableOfType(
        WxErrorException.class,
        () -> wx.getKefuService()
            .sendKefuMessage(WxMpKefuMessage.IMAGE().mediaId(image).build()));
    assertThat(e.getError().getErrorCode()).isEqualTo(40003);
    assertThat(outbox.lastRequest(TestServer.OA).path("diagnosis").asText()).contains("touser");
    assertThat(outbox.newest(TestServer.OA)).isEqualTo(before);
  }
}
