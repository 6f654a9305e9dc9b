package dev.tempmedia.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tempmedia.auth.App;
import dev.tempmedia.outbox.MessageSender;
import dev.tempmedia.outbox.SentMessage;
import dev.tempmedia.wechat.messages.MessageChannel;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The send endpoints (SPEC §10, dev mode): each takes the app's token and a JSON message, which
 * {@link MessageSender} checks and keeps in the outbox; this class is the wire format of each
 * product's answer. Read against WxJava's send results ({@code WxCpMessageSendResult},
 * {@code WxCpKfMsgSendResp}) and WeChat's documents.
 */
public final class MessageRoutes {
  /**
   * A message body may carry a WeCom mpnews article's HTML (up to 666 K bytes in WeCom's documents);
   * anything over this is refused before it is held.
   */
  static final int MAX_MESSAGE_BODY = 1024 * 1024;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Vertx vertx;
  private final Callers callers;
  private final MessageSender sender;

  public MessageRoutes(Vertx vertx, Callers callers, MessageSender sender) {
    this.vertx = vertx;
    this.callers = callers;
    this.sender = sender;
  }

  /** {@code message/custom/send}: {@code {"errcode":0,"errmsg":"ok"}}. */
  Future<Reply> customerService(Exchange ex) {
    return send(ex, MessageChannel.CUSTOMER_SERVICE, (app, sent) -> ok());
  }

  /**
   * WeCom's {@code message/send}: ok, the lists of recipients WeCom could not reach (always empty
   * here: the emulator knows no directory), and the message's {@code msgid} and
   * {@code response_code} (the latter lets a template card be updated later).
   */
  Future<Reply> appMessage(Exchange ex) {
    return send(ex, MessageChannel.APP_MESSAGE, (app, sent) -> {
      Map<String, Object> answer = ok();
      answer.put("invaliduser", "");
      answer.put("invalidparty", "");
      answer.put("invalidtag", "");
      answer.put("unlicenseduser", "");
      answer.put("msgid", token(32));
      answer.put("response_code", token(48));
      return answer;
    });
  }

  /** WeCom's {@code appchat/send}: {@code {"errcode":0,"errmsg":"ok"}}. */
  Future<Reply> appChat(Exchange ex) {
    return send(ex, MessageChannel.APP_CHAT, (app, sent) -> ok());
  }

  /** 微信客服's {@code kf/send_msg}: ok and the msgid, the caller's own when it named one. */
  Future<Reply> kf(Exchange ex) {
    return send(ex, MessageChannel.KF, (app, sent) -> {
      Map<String, Object> answer = ok();
      JsonNode own = sent.body().get("msgid");
      answer.put(
          "msgid",
          own != null && own.isTextual() && !own.asText().isEmpty() ? own.asText() : token(24));
      return answer;
    });
  }

  /** What a route answers for an accepted message. */
  @FunctionalInterface
  interface Answer {
    Map<String, Object> of(App app, SentMessage sent);
  }

  private Future<Reply> send(Exchange ex, MessageChannel channel, Answer answer) {
    return Stages.paused(
        ex,
        callers.authenticated(ex),
        app -> JsonBodies.read(ex.request(), MAX_MESSAGE_BODY)
            .compose(body -> vertx.executeBlocking(
                () -> {
                  SentMessage sent =
                      sender.send(app, channel, ex.endpoint(), ex.id().rid(), body);
                  return Reply.json(answer.of(app, sent));
                },
                false)));
  }

  private static Map<String, Object> ok() {
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("errcode", 0);
    answer.put("errmsg", "ok");
    return answer;
  }

  /** A random id of about {@code chars} URL-safe characters, like WeCom's msgid. */
  private static String token(int chars) {
    byte[] bytes = new byte[chars * 3 / 4];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
