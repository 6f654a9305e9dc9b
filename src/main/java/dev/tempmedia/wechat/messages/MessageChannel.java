package dev.tempmedia.wechat.messages;

/**
 * A door a message goes out by (SPEC §10). Which of them a product has, and the message types of each,
 * are part of its {@code ProductProfile}; the paths are in {@code http.WeChatApi}.
 */
public enum MessageChannel {
  /** {@code message/custom/send} of official accounts and mini programs (and the cloud call's customerServiceMessage.send). */
  CUSTOMER_SERVICE,
  /** WeCom's {@code message/send}: an app's message to members, departments or tags. */
  APP_MESSAGE,
  /** WeCom's {@code appchat/send}: an app's message to a group chat it created. */
  APP_CHAT,
  /** WeCom's {@code kf/send_msg}: a 微信客服 account's message to a WeChat user. */
  KF
}
