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
import me.chanjar.weixin.cp.api.WxCpService;
import me.chanjar.weixin.cp.bean.kf.WxCpKfMsgSendRequest;
import me.chanjar.weixin.cp.bean.kf.WxCpKfMsgSendResp;
import me.chanjar.weixin.cp.bean.kf.msg.WxCpKfResourceMsg;
import me.chanjar.weixin.cp.bean.message.WxCpAppChatMessage;
import me.chanjar.weixin.cp.bean.message.WxCpMessage;
import me.chanjar.weixin.cp.bean.message.WxCpMessageSendResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * weixin-java-cp's sends against tempmedia, with every HTTP backend: an app's messages
 * ({@code getMessageService().send}), group-chat messages ({@code getChatService().sendMsg}) and
 * 微信客服 messages ({@code getKfService().sendMsg}), read back from the outbox; and their refusals.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WxOutboxCpCompatTest {
  static final int AGENT = 1000002; // WxBackend.wecom's config agentId

  TestServer server;
  OutboxReader outbox;
  String otherCorp;
  String otherCorpToken;

  @TempDir
  Path files;

  @BeforeAll
  void start(@TempDir Path data) {
    server = new TestServer(data);
    outbox = new OutboxReader(server);
    JsonNode corp = TestServer.json(server.postJson("/_tempmedia/apps", "{\"product\":\"wecom\"}"));
    otherCorp = corp.path("corpid").asText();
    otherCorpToken = TestServer.json(server.get("/cgi-bin/gettoken?corpid=" + otherCorp
            + "&corpsecret=" + corp.path("secret").asText()))
        .path("access_token")
        .asText();
    assertThat(otherCorpToken).isNotBlank();
  }

  @AfterAll
  void stop() {
    server.close();
  }

  WxCpService client(WxBackend backend) {
    return backend.wecom(server.server().baseUrl(), TestServer.CORP, TestServer.CORP_SECRET);
  }

  String upload(WxCpService wx, String type, String name, byte[] bytes) throws Exception {
    Path dir = Files.createTempDirectory(files, "f");
    File file = Files.write(dir.resolve(name), bytes).toFile();
    return wx.getMediaService().upload(type, file).getMediaId();
  }

  /**
   * Sends an app message through WxJava, checks WxJava's reading of the answer, and answers the one
   * message the outbox kept, with the body WxJava wrote (WxJava fills in the config's agentid).
   */
  JsonNode sent(WxCpService wx, WxCpMessage message) throws Exception {
    WxCpMessageSendResult result = wx.getMessageService().send(message);
    assertThat(result.getErrCode()).isZero();
    assertThat(result.getInvalidUserList()).isEmpty();
    assertThat(result.getInvalidPartyList()).isEmpty();
    assertThat(result.getInvalidTagList()).isEmpty();
    if (hasMethod(WxCpMessageSendResult.class, "getUnlicensedUserList")) { // newer than 4.6.0
      assertThat(result.getUnlicensedUserList()).isEmpty();
    }
    assertThat(result.getMsgId()).isNotBlank();
    assertThat(result.getResponseCode()).isNotBlank();
    JsonNode m = outbox.only(
        TestServer.CORP,
        "wecom",
        "/cgi-bin/message/send",
        message.getToUser(),
        message.getMsgType());
    assertThat(m.path("body")).isEqualTo(TestServer.json(message.toJson()));
    assertThat(m.path("body").path("agentid").asInt()).isEqualTo(AGENT);
    return m;
  }

  static boolean hasMethod(Class<?> type, String name) {
    try {
      type.getMethod(name);
      return true;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  @ParameterizedTest
  @EnumSource(WxBackend.class)
  void anAppSendsImageVoiceVideoAndFile(WxBackend backend) throws Exception {
    WxCpService wx = client(backend);
    byte[] jpeg = MediaSamples.jpeg(64, 48);
    String image = upload(wx, "image", "photo.jpg", jpeg);
    String to = OutboxReader.recipient("zhangsan", backend);
    JsonNode m = sent(wx, WxCpMessage.IMAGE().toUser(to).mediaId(image).build());
    assertThat(m.path("media")).hasSize(1);
    assertMedia(m.path("media").get(0), "image.media_id", image, "image", "image/jpeg", jpeg);

    byte[] amr = MediaSamples.amr(3);
    String voice = upload(wx, "voice", "note.amr", amr);
    to = OutboxReader.recipient("lisi", backend);
    m = sent(wx, WxCpMessage.VOICE().agentId(AGENT).toUser(to).mediaId(voice).build());
    assertThat(m.path("media")).hasSize(1);
    assertMedia(m.path("media").get(0), "voice.media_id", voice, "voice", "audio/amr", amr);

    byte[] mp4 = MediaSamples.mp4(60_000);
    String video = upload(wx, "video", "clip.mp4", mp4);
    to = OutboxReader.recipient("wangwu", backend);
    m = sent(
        wx,
        WxCpMessage.VIDEO()
            .toUser(to)
            .mediaId(video)
            .title("周报")
            .description("this week")
            .build());
    assertThat(m.path("media")).as("WeCom's video has no thumb").hasSize(1);
    assertMedia(m.path("media").get(0), "video.media_id", video, "video", "video/mp4", mp4);
    assertThat(m.path("body").path("video").path("title").asText()).isEqualTo("周报");

    byte[] text = "Quarterly numbers, first draft.\n".repeat(40).getBytes();
    String file = upload(wx, "file", "report.txt", text);
    to = OutboxReader.recipient("zhaoliu", backend);
    m = sent(wx, WxCpMessage.FILE().toUser(to).mediaId(file).build());
    assertThat(m.path("media")).hasSize(1);
    assertMedia(m.path("media").get(0), "file.media_id", file, "file", "text/plain", text);
  }

  @ParameterizedTest
  @EnumSource(WxBackend.class)
  void anMpnewsResolvesTheThumbOfEachArticle(WxBackend backend) throws Exception {
    WxCpService wx = client(backend);
    byte[] first = MediaSamples.jpeg(90, 50);
    byte[] second = MediaSamples.png(90, 50);
    String thumb1 = upload(wx, "image", "cover1.jpg", first);
    String thumb2 = upload(wx, "image", "cover2.png", second);
    String to = OutboxReader.recipient("mpnews", backend);
    JsonNode m = sent(
        wx,
        WxCpMessage.MPNEWS()
            .toUser(to)
            .addArticle(
                me.chanjar.weixin.cp.bean.article.MpnewsArticle.newBuilder()
                    .title("第一篇")
                    .thumbMediaId(thumb1)
                    .content("<p>one</p>")
                    .build(),
                me.chanjar.weixin.cp.bean.article.MpnewsArticle.newBuilder()
                    .title("第二篇")
                    .thumbMediaId(thumb2)
                    .content("<p>two</p>")
                    .build())
            .build());
    assertThat(m.path("media")).hasSize(2);
    assertMedia(
        m.path("media").get(0),
        "mpnews.articles[0].thumb_media_id",
        thumb1,
        "image",
        "image/jpeg",
        first);
    assertMedia(
        m.path("media").get(1),
        "mpnews.articles[1].thumb_media_id",
        thumb2,
        "image",
        "image/png",
        second);
  }

  @ParameterizedTest
  @EnumSource(WxBackend.class)
  void aGroupChatMessageIsKeptUnderItsChatid(WxBackend backend) throws Exception {
    WxCpService wx = client(backend);
    byte[] png = MediaSamples.png(40, 30);
    String image = upload(wx, "image", "chart.png", png);
    String chat = OutboxReader.recipient("chat", backend);
    WxCpAppChatMessage message = WxCpAppChatMessage.builder()
        .msgType("image")
        .chatId(chat)
        .mediaId(image)
        .build();
    wx.getChatService().sendMsg(message);
    JsonNode m = outbox.only(TestServer.CORP, "wecom", "/cgi-bin/appchat/send", chat, "image");
    assertThat(m.path("body")).isEqualTo(TestServer.json(message.toJson()));
    assertThat(m.path("body").path("chatid").asText()).isEqualTo(chat);
    assertThat(m.path("media")).hasSize(1);
    assertMedia(m.path("media").get(0), "image.media_id", image, "image", "image/png", png);
  }

  @ParameterizedTest
  @EnumSource(WxBackend.class)
  void aKfMessageIsKeptAndAnswersAMsgid(WxBackend backend) throws Exception {
    WxCpService wx = client(backend);
    byte[] jpeg = MediaSamples.jpeg(48, 48);
    String image = upload(wx, "image", "reply.jpg", jpeg);
    String customer = OutboxReader.recipient("wmCustomer", backend);
    WxCpKfMsgSendRequest request = new WxCpKfMsgSendRequest();
    request.setOpenKfid("wkKf000000000001");
    request.setToUser(customer);
    request.setMsgType("image");
    WxCpKfResourceMsg resource = new WxCpKfResourceMsg();
    resource.setMediaId(image);
    request.setImage(resource);
    WxCpKfMsgSendResp resp = wx.getKfService().sendMsg(request);
    assertThat(resp.getErrcode()).isZero();
    assertThat(resp.getMsgId()).isNotBlank();
    JsonNode m = outbox.only(TestServer.CORP, "wecom", "/cgi-bin/kf/send_msg", customer, "image");
    // weixin-java-cp writes the request with a plain Gson, as WxCpKfServiceImpl does.
    assertThat(m.path("body"))
        .isEqualTo(TestServer.json(new com.google.gson.Gson().toJson(request)));
    assertThat(m.path("body").path("open_kfid").asText()).isEqualTo("wkKf000000000001");
    assertThat(m.path("media")).hasSize(1);
    assertMedia(m.path("media").get(0), "image.media_id", image, "image", "image/jpeg", jpeg);

    // A msgid the caller names (for idempotent sends) is the one answered.
    String customer2 = OutboxReader.recipient("wmCustomer", backend);
    request.setToUser(customer2);
    request.setMsgId("my-own-msgid-1");
    assertThat(wx.getKfService().sendMsg(request).getMsgId()).isEqualTo("my-own-msgid-1");
    outbox.only(TestServer.CORP, "wecom", "/cgi-bin/kf/send_msg", customer2, "image");
  }

  @ParameterizedTest
  @EnumSource(WxBackend.class)
  void anotherCorpsImageIsRefusedWith40007AndNotKept(WxBackend backend) throws Exception {
    String foreign = TestServer.json(
            server.upload(otherCorpToken, "image", "a.jpg", MediaSamples.jpeg(16, 16)))
        .path("media_id")
        .asText();
    assertThat(foreign).hasSize(65);
    WxCpService wx = client(backend);
    String to = OutboxReader.recipient("foreign", backend);
    WxErrorException e = catchThrowableOfType(
        WxErrorException.class,
        () -> wx.getMessageService()
            .send(WxCpMessage.IMAGE().toUser(to).mediaId(foreign).build()));
    assertThat(e.getError().getErrorCode()).isEqualTo(40007);
    JsonNode refused = outbox.lastRequest(TestServer.CORP);
    assertThat(refused.path("path").asText()).isEqualTo("/cgi-bin/message/send");
    assertThat(refused.path("diagnosis").asText())
        .startsWith("image.media_id: ")
        .contains("media belongs to wecom app " + otherCorp);
    outbox.none(TestServer.CORP, to);
  }

  @ParameterizedTest
  @EnumSource(WxBackend.class)
  void aVoiceSentAsAnImageIsRefusedWith40007(WxBackend backend) throws Exception {
    WxCpService wx = client(backend);
    String voice = upload(wx, "voice", "note.amr", MediaSamples.amr(2));
    String to = OutboxReader.recipient("wrongtype", backend);
    WxErrorException e = catchThrowableOfType(
        WxErrorException.class,
        () -> wx.getMessageService()
            .send(WxCpMessage.IMAGE().toUser(to).mediaId(voice).build()));
    assertThat(e.getError().getErrorCode()).isEqualTo(40007);
    assertThat(outbox.lastRequest(TestServer.CORP).path("diagnosis").asText())
        .contains("is a voice")
        .contains("image.media_id needs");
    outbox.none(TestServer.CORP, to);

    // The same through a group chat, whose WxJava builder passes the id through just the same.
    String chat = OutboxReader.recipient("chat_wrongtype", backend);
    WxErrorException inChat = catchThrowableOfType(
        WxErrorException.class,
        () -> wx.getChatService()
            .sendMsg(WxCpAppChatMessage.builder()
                .msgType("image")
                .chatId(chat)
                .mediaId(voice)
                .build()));
    assertThat(inChat.getError().getErrorCode()).isEqualTo(40007);
    outbox.none(TestServer.CORP, chat);
  }

  @ParameterizedTest
  @EnumSource(WxBackend.class)
  void anExpiredFileIsRefusedWith40007(WxBackend backend) throws Exception {
    WxCpService wx = client(backend);
    String file = upload(wx, "file", "old.txt", "an old file\n".repeat(10).getBytes());
    assertThat(server.postJson("/_tempmedia/clock", "{\"advance\":\"PT73H\"}").statusCode())
        .isEqualTo(200);
    String to = OutboxReader.recipient("expired", backend);
    WxErrorException e = catchThrowableOfType(
        WxErrorException.class,
        () -> wx.getMessageService()
            .send(WxCpMessage.FILE().toUser(to).mediaId(file).build()));
    assertThat(e.getError().getErrorCode()).isEqualTo(40007);
    assertThat(outbox.lastRequest(TestServer.CORP).path("diagnosis").asText())
        .startsWith("file.media_id: ")
        .contains("media_id expired at ");
    outbox.none(TestServer.CORP, to);
  }

  @ParameterizedTest
  @EnumSource(WxBackend.class)
  void anUnknownMsgtypeIsRefusedWith40008(WxBackend backend) throws Exception {
    WxCpService wx = client(backend);
    String image = upload(wx, "image", "a.jpg", MediaSamples.jpeg(12, 12));
    String to = OutboxReader.recipient("msgtype", backend);
    // WxCpMessage.toJson writes any msgtype it is given (an unknown one with no content object):
    // WxJava does not check it, so this goes out through the real send call.
    WxCpMessage message = WxCpMessage.IMAGE().toUser(to).mediaId(image).build();
    message.setMsgType("hologram");
    WxErrorException e = catchThrowableOfType(
        WxErrorException.class, () -> wx.getMessageService().send(message));
    assertThat(e.getError().getErrorCode()).isEqualTo(40008);
    assertThat(outbox.lastRequest(TestServer.CORP).path("diagnosis").asText()).contains("hologram");
    outbox.none(TestServer.CORP, to);
  }

  @ParameterizedTest
  @EnumSource(WxBackend.class)
  void aMessageWithNoRecipientIsRefusedWith81013(WxBackend backend) throws Exception {
    WxCpService wx = client(backend);
    String image = upload(wx, "image", "a.jpg", MediaSamples.jpeg(12, 12));
    String before = outbox.newest(TestServer.CORP);
    // No touser, toparty or totag: WxCpMessage.toJson leaves all three out.
    WxErrorException e = catchThrowableOfType(
        WxErrorException.class,
        () -> wx.getMessageService().send(WxCpMessage.IMAGE().mediaId(image).build()));
    assertThat(e.getError().getErrorCode()).isEqualTo(81013);
    assertThat(outbox.lastRequest(TestServer.CORP).path("diagnosis").asText())
        .contains("touser, toparty and totag");
    assertThat(outbox.newest(TestServer.CORP)).isEqualTo(before);
  }
}
