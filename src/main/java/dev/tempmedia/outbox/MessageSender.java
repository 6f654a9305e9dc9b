package dev.tempmedia.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tempmedia.auth.App;
import dev.tempmedia.clock.ServerClock;
import dev.tempmedia.media.MediaId;
import dev.tempmedia.media.MediaService;
import dev.tempmedia.storage.BlobMeta;
import dev.tempmedia.wechat.ErrorCode;
import dev.tempmedia.wechat.WeChatException;
import dev.tempmedia.wechat.messages.MediaField;
import dev.tempmedia.wechat.messages.MessageCatalog;
import dev.tempmedia.wechat.messages.MessageChannel;
import dev.tempmedia.wechat.messages.MessageType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;

/**
 * Accepts a message for the outbox (SPEC §10) or refuses it with WeChat's code for what is wrong:
 * the recipient, the msgtype, the content, and every media id in it — of the app's own domain,
 * unexpired by the server clock, of the type its field takes, and still stored. A refused message is
 * not kept. Wire format is the route's; this class speaks in checked JSON and {@link WeChatException}s
 * whose diagnosis says exactly why.
 */
public final class MessageSender {
  private final MediaService media;
  private final Outbox outbox;
  private final ServerClock clock;

  public MessageSender(MediaService media, Outbox outbox, ServerClock clock) {
    this.media = media;
    this.outbox = outbox;
    this.clock = clock;
  }

  public Outbox outbox() {
    return outbox;
  }

  /**
   * Checks {@code body} as a message of {@code app} through {@code channel}, and keeps it under
   * {@code id} (the request's rid). Blocking: it reads the media's metadata from storage and waits
   * until the outbox holds the message, so a reader asked right after the answer finds it.
   */
  public SentMessage send(
      App app, MessageChannel channel, String endpoint, String id, JsonNode body) {
    MessageCatalog catalog = app.product()
        .profile()
        .messages(channel)
        .orElseThrow(() -> new WeChatException(
            ErrorCode.API_UNAUTHORIZED,
            app.product(),
            endpoint + " is not an endpoint of " + app.product().wireName() + " apps"));
    String to = Recipients.of(app, channel, body);
    String msgtype = text(body, "msgtype");
    MessageType type = catalog
        .type(msgtype == null ? "" : msgtype)
        .orElseThrow(() -> new WeChatException(
            ErrorCode.INVALID_MESSAGE_TYPE,
            app.product(),
            (msgtype == null
                    ? "the message has no msgtype"
                    : "msgtype \"" + clip(msgtype) + "\" is not a message type of " + endpoint)
                + " for " + app.product().wireName() + " apps; it takes " + catalog.names()));
    JsonNode object = body.get(type.name());
    if (object == null || !object.isObject()) {
      throw missingObject(app, type);
    }
    boolean material = checkContent(app, type, catalog, object);
    List<SentMessage.SentMedia> resolved = new ArrayList<>();
    for (MediaField field : type.media()) {
      if (material && field.path().contains("[]")) {
        continue; // permanent material instead of articles: nothing of tempmedia's to check
      }
      for (FieldPath.Found found : FieldPath.find(body, field.path())) {
        SentMessage.SentMedia one = resolve(app, field, found);
        if (one != null) {
          resolved.add(one);
        }
      }
    }
    SentMessage message = new SentMessage(
        id,
        Instant.ofEpochMilli(clock.millis()).toString(),
        app.id(),
        app.product().wireName(),
        endpoint,
        to,
        type.name(),
        resolved,
        body);
    try {
      outbox.add(message).toCompletableFuture().join();
    } catch (CompletionException e) {
      throw new WeChatException(
          ErrorCode.SYSTEM_ERROR,
          app.product(),
          "the message could not be kept in the outbox: " + e.getCause().getMessage());
    }
    return message;
  }

  /** Checks a text's content or a news message's articles; true when an mpnews names permanent material. */
  private static boolean checkContent(
      App app, MessageType type, MessageCatalog catalog, JsonNode object) {
    switch (type.content()) {
      case TEXT -> {
        String content = text(object, "content");
        if (content == null || content.isEmpty()) {
          throw new WeChatException(
              ErrorCode.EMPTY_CONTENT, app.product(), type.name() + ".content is missing or empty");
        }
        int bytes = content.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MessageCatalog.MAX_TEXT_BYTES) {
          throw new WeChatException(
              ErrorCode.CONTENT_SIZE_OUT_OF_LIMIT,
              app.product(),
              type.name() + ".content has " + bytes + " bytes of UTF-8; at most "
                  + MessageCatalog.MAX_TEXT_BYTES + " are sent");
        }
        return false;
      }
      case ARTICLES_OR_MATERIAL -> {
        String material = text(object, "media_id");
        if (material != null && !material.isEmpty()) {
          return true;
        }
        checkArticles(app, type, catalog, object);
        return false;
      }
      case ARTICLES -> {
        checkArticles(app, type, catalog, object);
        return false;
      }
      default -> {
        return false;
      }
    }
  }

  private static void checkArticles(
      App app, MessageType type, MessageCatalog catalog, JsonNode object) {
    JsonNode articles = object.get("articles");
    if (articles == null || !articles.isArray() || articles.isEmpty()) {
      throw new WeChatException(
          ErrorCode.EMPTY_NEWS_DATA,
          app.product(),
          type.name() + ".articles is missing or empty"
              + (type.content() == MessageType.Content.ARTICLES_OR_MATERIAL
                  ? " (and there is no " + type.name() + ".media_id of permanent material)"
                  : ""));
    }
    if (articles.size() > catalog.maxArticles()) {
      throw new WeChatException(
          ErrorCode.ARTICLE_SIZE_OUT_OF_LIMIT,
          app.product(),
          type.name() + " has " + articles.size() + " articles; at most " + catalog.maxArticles()
              + " are sent here");
    }
  }

  /** The media id in one field: checked from the id (domain, expiry), its type, then storage. */
  private SentMessage.SentMedia resolve(App app, MediaField field, FieldPath.Found found) {
    JsonNode value = found.value();
    if (value == null || value.isNull() || (value.isTextual() && value.asText().isEmpty())) {
      if (!field.required()) {
        return null;
      }
      throw new WeChatException(
          ErrorCode.MEDIA_ID_MISSING,
          app.product(),
          found.path() + " is missing: this message needs " + field.needs() + " there");
    }
    if (!value.isTextual()) {
      throw invalid(app, found.path() + " must be a JSON string, not " + kind(value));
    }
    String mediaId = value.asText();
    MediaId id = naming(found.path(), () -> media.authorize(app, mediaId));
    String is = id.type().wireName();
    if (!field.accepts().contains(is)) {
      throw invalid(
          app,
          "media_id " + clip(mediaId) + " is " + (is.matches("[aeiou].*") ? "an " : "a ") + is
              + ", but " + found.path() + " needs " + field.needs());
    }
    BlobMeta meta = naming(found.path(), () -> media.open(app, id).meta());
    return new SentMessage.SentMedia(
        found.path(), mediaId, id.type().wireName(), meta.contentType(), meta.size());
  }

  /** A refusal of a media id, its diagnosis led by the field it was in. */
  private static <T> T naming(String path, java.util.function.Supplier<T> check) {
    try {
      return check.get();
    } catch (WeChatException e) {
      if (e.error() != ErrorCode.INVALID_MEDIA_ID) {
        throw e;
      }
      throw new WeChatException(e.error(), e.product().orElse(null), path + ": " + e.diagnosis());
    }
  }

  private static WeChatException missingObject(App app, MessageType type) {
    String shape = "\"" + type.name() + "\": {…}";
    return switch (type.content()) {
      case TEXT ->
        new WeChatException(
            ErrorCode.EMPTY_CONTENT,
            app.product(),
            "msgtype is " + type.name() + " but the message has no " + shape + " object");
      case ARTICLES, ARTICLES_OR_MATERIAL ->
        new WeChatException(
            ErrorCode.EMPTY_NEWS_DATA,
            app.product(),
            "msgtype is " + type.name() + " but the message has no " + shape + " object");
      case OBJECT ->
        type.media().stream().anyMatch(MediaField::required)
            ? new WeChatException(
                ErrorCode.MEDIA_ID_MISSING,
                app.product(),
                "msgtype is " + type.name() + " but the message has no " + shape
                    + " object with its " + type.media().get(0).path())
            : new WeChatException(
                ErrorCode.DATA_FORMAT_ERROR,
                app.product(),
                "msgtype is " + type.name() + " but the message has no " + shape + " object");
    };
  }

  static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v != null && v.isTextual() ? v.asText() : null;
  }

  static String clip(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "…" : s;
  }

  static String kind(JsonNode v) {
    return v.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
  }

  private static WeChatException invalid(App app, String diagnosis) {
    return new WeChatException(ErrorCode.INVALID_MEDIA_ID, app.product(), diagnosis);
  }
}
