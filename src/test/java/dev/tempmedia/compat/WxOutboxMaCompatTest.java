package dev.tempmedia.compat;

import static dev.tempmedia.compat.OutboxReader.assertMedia;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import cn.binarywang.wx.miniapp.api.WxMaService;
import cn.binarywang.wx.miniapp.bean.WxMaKefuMessage;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tempmedia.testing.MediaSamples;
import dev.tempmedia.testing.TestServer;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import me.chanjar.weixin.common.error.WxErrorException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * weixin-java-miniapp's customer-service sends ({@code getMsgService().sendKefuMsg}) against
 * tempmedia, with every HTTP backend, read back from the outbox; and their refusals.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WxOutboxMaCompatTest {
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

  WxMaService client(WxBackend backend) {
    return backend.miniProgram(server.server().baseUrl(), TestServer.MP, TestServer.MP_SECRET);
  }

  String upload(WxMaService wx, String name, byte[] bytes) throws Exception {
    Path dir = Files.createTempDirectory(files, "f");
    File file = Files.write(dir.resolve(name), bytes).toFile();
    return wx.getMediaService().uploadMedia("image", file).getMediaId();
  }

  /** Sends through WxJava and answers the one message the outbox kept, body as WxJava wrote it. */
  JsonNode sent(WxMaService wx, WxMaKefuMessage message) throws Exception {
    assertThat(wx.getMsgService().sendKefuMsg(message)).isTrue();
    JsonNode m = outbox.only(
        TestServer.MP, "mini-program", ENDPOINT, message.getToUser(), message.getMsgType());
    assertThat(m.path("body")).isEqualTo(TestServer.json(message.toJson()));
    return m;
  }

  @ParameterizedTest
  @EnumSource(WxBackend.class)
  void anImageIsKeptWithItsUpload(WxBackend backend) throws Exception {
    WxMaService wx = client(backend);
    byte[] png = MediaSamples.png(80, 60);
    String image = upload(wx, "photo.png", png);
    String to = OutboxReader.recipient("o_ma_image", backend);
    JsonNode m =
        sent(wx, WxMaKefuMessage.newImageBuilder().toUser(to).mediaId(image).build());
    assertThat(m.path("media")).hasSize(1);
    assertMedia(m.path("media").get(0), "image.media_id", image, "image", "image/png", png);
    assertThat(m.path("body").path("image").path("media_id").asText()).isEqualTo(image);
  }

  @ParameterizedTest
  @EnumSource(WxBackend.class)
  void aMiniProgramCardCarriesItsPictureAsAnImage(WxBackend backend) throws Exception {
    WxMaService wx = client(backend);
    byte[] jpeg = MediaSamples.jpeg(104, 83);
    String picture = upload(wx, "card.jpg", jpeg);
    String to = OutboxReader.recipient("o_ma_card", backend);
    JsonNode m = sent(
        wx,
        WxMaKefuMessage.newMaPageBuilder()
            .toUser(to)
            .title("订单详情")
            .pagePath("pages/order/detail?id=42")
            .thumbMediaId(picture)
            .build());
    assertThat(m.path("msgtype").asText()).isEqualTo("miniprogrampage");
    assertThat(m.path("media")).hasSize(1);
    assertMedia(
        m.path("media").get(0),
        "miniprogrampage.thumb_media_id",
        picture,
        "image",
        "image/jpeg",
        jpeg);
    assertThat(m.path("body").path("miniprogrampage").path("pagepath").asText())
        .isEqualTo("pages/order/detail?id=42");
  }

  @ParameterizedTest
  @EnumSource(WxBackend.class)
  void theOfficialAccountsImageIsRefusedWith40007AndNotKept(WxBackend backend) throws Exception {
    String foreign = TestServer.json(server.upload(
            server.token("official-account"), "image", "a.jpg", MediaSamples.jpeg(16, 16)))
        .path("media_id")
        .asText();
    WxMaService wx = client(backend);
    String to = OutboxReader.recipient("o_ma_foreign", backend);
    WxErrorException e = catchThrowableOfType(
        WxErrorException.class,
        () -> wx.getMsgService()
            .sendKefuMsg(
                WxMaKefuMessage.newImageBuilder().toUser(to).mediaId(foreign).build()));
    assertThat(e.getError().getErrorCode()).isEqualTo(40007);
    assertThat(outbox.lastRequest(TestServer.MP).path("diagnosis").asText())
        .startsWith("image.media_id: ")
        .contains("media belongs to official-account app " + TestServer.OA);
    outbox.none(TestServer.MP, to);
  }

  @ParameterizedTest
  @EnumSource(WxBackend.class)
  void anUnknownMsgtypeIsRefusedWith40008(WxBackend backend) throws Exception {
    WxMaService wx = client(backend);
    String image = upload(wx, "a.png", MediaSamples.png(12, 12));
    String to = OutboxReader.recipient("o_ma_msgtype", backend);
    // WxMaKefuMessage is a plain Gson bean: WxJava sends whatever msgtype it is given.
    WxMaKefuMessage message =
        WxMaKefuMessage.newImageBuilder().toUser(to).mediaId(image).build();
    message.setMsgType("voice"); // an official account's type, not a mini program's
    WxErrorException e =
        catchThrowableOfType(WxErrorException.class, () -> wx.getMsgService().sendKefuMsg(message));
    assertThat(e.getError().getErrorCode()).isEqualTo(40008);
    outbox.none(TestServer.MP, to);
  }

  @ParameterizedTest
  @EnumSource(WxBackend.class)
  void aMessageWithoutItsRecipientIsRefusedWith40003(WxBackend backend) throws Exception {
    WxMaService wx = client(backend);
    String image = upload(wx, "a.png", MediaSamples.png(12, 12));
    String before = outbox.newest(TestServer.MP);
    WxErrorException e = catchThrowableOfType(
        WxErrorException.class,
        () -> wx.getMsgService()
            .sendKefuMsg(WxMaKefuMessage.newImageBuilder().mediaId(image).build()));
    assertThat(e.getError().getErrorCode()).isEqualTo(40003);
    assertThat(outbox.newest(TestServer.MP)).isEqualTo(before);
  }
}
