package dev.tempmedia.wechat.messages;

import static dev.tempmedia.wechat.messages.MediaField.optional;
import static dev.tempmedia.wechat.messages.MediaField.required;
import static dev.tempmedia.wechat.messages.MessageType.Content.ARTICLES;
import static dev.tempmedia.wechat.messages.MessageType.Content.ARTICLES_OR_MATERIAL;
import static dev.tempmedia.wechat.messages.MessageType.Content.OBJECT;
import static dev.tempmedia.wechat.messages.MessageType.Content.TEXT;

import java.util.ArrayList;
import java.util.List;

/**
 * The message types of every product's channels, in one table (SPEC §10; the decisions and their
 * sources are in docs/outbox.md). Read from WeChat's documents and the SDKs' own message builders:
 * WxJava's {@code WxMpKefuMessageGsonAdapter} (official account), {@code WxMaKefuMessage} (mini
 * program), {@code WxCpMessage.toJson}, {@code WxCpAppChatMessage.toJson} and
 * {@code WxCpKfMsgSendRequest} (WeCom). A field not named here passes unchecked: the table names only
 * what a media check or a refusal needs. Each product's profile says which catalog each of its
 * channels has.
 */
public final class MessageCatalogs {
  private static final String IMAGE = "image";
  private static final String VOICE = "voice";
  private static final String VIDEO = "video";
  private static final String THUMB = "thumb";
  private static final String FILE = "file";

  /**
   * An official account's customer-service messages. The thumbs of video and music are thumb uploads
   * (64 KB JPG); a mini-program card's picture is an image (520×416 suggested), and a thumb passes
   * too. {@code mpnews} names permanent material (material/add_news), which tempmedia does not keep,
   * so it is not checked. One article per news message since 2018-10-12.
   */
  public static final MessageCatalog OFFICIAL_ACCOUNT_CUSTOMER_SERVICE = MessageCatalog.of(
      1,
      List.of(
          MessageType.of("text", TEXT),
          MessageType.of("image", OBJECT, required("image.media_id", IMAGE)),
          MessageType.of("voice", OBJECT, required("voice.media_id", VOICE)),
          MessageType.of(
              "video",
              OBJECT,
              required("video.media_id", VIDEO),
              optional("video.thumb_media_id", THUMB)),
          MessageType.of("music", OBJECT, required("music.thumb_media_id", THUMB)),
          MessageType.of("news", ARTICLES),
          MessageType.of("mpnews", OBJECT),
          MessageType.of("mpnewsarticle", OBJECT),
          MessageType.of("msgmenu", OBJECT),
          MessageType.of("wxcard", OBJECT),
          MessageType.of(
              "miniprogrampage",
              OBJECT,
              required("miniprogrampage.thumb_media_id", IMAGE, THUMB))));

  /**
   * A mini program's customer-service messages: text, image, link (its picture is a URL) and a
   * mini-program card whose picture is an image, the only type a mini program uploads.
   */
  public static final MessageCatalog MINI_PROGRAM_CUSTOMER_SERVICE = MessageCatalog.of(
      0,
      List.of(
          MessageType.of("text", TEXT),
          MessageType.of("image", OBJECT, required("image.media_id", IMAGE)),
          MessageType.of("link", OBJECT),
          MessageType.of(
              "miniprogrampage", OBJECT, required("miniprogrampage.thumb_media_id", IMAGE))));

  /**
   * What WeCom's app messages and group-chat messages share. A video has no thumb in WeCom (WxJava
   * may send one; WeCom ignores it, so it is not checked); mpnews carries its articles, each with an
   * image as its thumb, or names permanent material instead. Eight articles at most.
   */
  private static final List<MessageType> WECOM_COMMON = List.of(
      MessageType.of("text", TEXT),
      MessageType.of("image", OBJECT, required("image.media_id", IMAGE)),
      MessageType.of("voice", OBJECT, required("voice.media_id", VOICE)),
      MessageType.of("video", OBJECT, required("video.media_id", VIDEO)),
      MessageType.of("file", OBJECT, required("file.media_id", FILE)),
      MessageType.of("textcard", OBJECT),
      MessageType.of("news", ARTICLES),
      MessageType.of(
          "mpnews", ARTICLES_OR_MATERIAL, required("mpnews.articles[].thumb_media_id", IMAGE)),
      MessageType.of("markdown", TEXT));

  /** WeCom's {@code message/send}: the common types and the cards only an app sends. */
  public static final MessageCatalog WECOM_APP_MESSAGE = MessageCatalog.of(
      8,
      concat(
          WECOM_COMMON,
          MessageType.of("miniprogram_notice", OBJECT),
          MessageType.of("template_card", OBJECT),
          MessageType.of("taskcard", OBJECT)));

  /** WeCom's {@code appchat/send}. */
  public static final MessageCatalog WECOM_APP_CHAT = MessageCatalog.of(8, WECOM_COMMON);

  /** 微信客服's {@code kf/send_msg}: a link's and a mini-program card's pictures are images of the corp. */
  public static final MessageCatalog WECOM_KF = MessageCatalog.of(
      0,
      List.of(
          MessageType.of("text", TEXT),
          MessageType.of("image", OBJECT, required("image.media_id", IMAGE)),
          MessageType.of("voice", OBJECT, required("voice.media_id", VOICE)),
          MessageType.of("video", OBJECT, required("video.media_id", VIDEO)),
          MessageType.of("file", OBJECT, required("file.media_id", FILE)),
          MessageType.of("link", OBJECT, required("link.thumb_media_id", IMAGE)),
          MessageType.of("miniprogram", OBJECT, required("miniprogram.thumb_media_id", IMAGE)),
          MessageType.of("msgmenu", OBJECT),
          MessageType.of("location", OBJECT),
          MessageType.of("business_card", OBJECT),
          MessageType.of("ca_link", OBJECT)));

  private MessageCatalogs() {}

  private static List<MessageType> concat(List<MessageType> first, MessageType... more) {
    List<MessageType> all = new ArrayList<>(first);
    all.addAll(List.of(more));
    return all;
  }
}
