package dev.tempmedia.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tempmedia.auth.App;
import dev.tempmedia.wechat.ErrorCode;
import dev.tempmedia.wechat.WeChatException;
import dev.tempmedia.wechat.messages.MessageChannel;

/**
 * Whom a message is for, as each channel names it, or WeChat's refusal of a message without one. The
 * emulator knows no users, chats or accounts: any non-empty name is accepted (WeCom's
 * {@code invaliduser} and the like stay empty).
 */
final class Recipients {
  private Recipients() {}

  /** The message's recipient for the outbox's {@code to}. */
  static String of(App app, MessageChannel channel, JsonNode body) {
    return switch (channel) {
      case CUSTOMER_SERVICE ->
        required(app, body, "touser", ErrorCode.INVALID_OPENID, "the user's openid");
      case APP_MESSAGE -> appMessage(app, body);
      case APP_CHAT ->
        required(app, body, "chatid", ErrorCode.INVALID_CHATID, "the group chat's id");
      case KF -> {
        required(app, body, "open_kfid", ErrorCode.INVALID_OPEN_KFID, "the 微信客服 account's id");
        yield required(
            app,
            body,
            "touser",
            ErrorCode.INVALID_EXTERNAL_USERID,
            "the customer's external_userid");
      }
    };
  }

  /**
   * WeCom's message/send: the application's agentid (a whole number, or a string of digits as some
   * SDKs send it), and at least one of touser, toparty and totag ({@code |}-separated lists).
   */
  private static String appMessage(App app, JsonNode body) {
    JsonNode agent = body.get("agentid");
    if (agent == null || agent.isNull() || (agent.isTextual() && agent.asText().isEmpty())) {
      throw new WeChatException(
          ErrorCode.AGENTID_MISSING,
          app.product(),
          "the message has no agentid: the id of the application that sends it");
    }
    if (!(agent.isIntegralNumber() || (agent.isTextual() && agent.asText().matches("\\d{1,18}")))) {
      throw new WeChatException(
          ErrorCode.INVALID_AGENTID,
          app.product(),
          "agentid must be a whole number, not " + MessageSender.kind(agent) + " "
              + MessageSender.clip(agent.toString()));
    }
    for (String field : new String[] {"touser", "toparty", "totag"}) {
      String to = MessageSender.text(body, field);
      if (to != null && !to.isBlank()) {
        return to;
      }
    }
    throw new WeChatException(
        ErrorCode.RECIPIENTS_ALL_INVALID,
        app.product(),
        "touser, toparty and totag are all missing or empty: name at least one recipient"
            + " (userids, department ids or tag ids, |-separated; touser @all for everyone)");
  }

  private static String required(
      App app, JsonNode body, String field, ErrorCode error, String what) {
    String to = MessageSender.text(body, field);
    if (to == null || to.isBlank()) {
      JsonNode raw = body.get(field);
      throw new WeChatException(
          error,
          app.product(),
          field
              + (raw == null || raw.isNull()
                  ? " is missing"
                  : raw.isTextual() ? " is empty" : " must be a JSON string")
              + ": it names " + what);
    }
    return to;
  }
}
