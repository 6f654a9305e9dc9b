package dev.tempmedia.outbox;

/** Which messages a reader wants: each part that is not null must match exactly. */
public record MessageFilter(String appid, String to, String msgtype) {
  public static final MessageFilter ALL = new MessageFilter(null, null, null);

  public boolean test(SentMessage m) {
    return (appid == null || appid.equals(m.appid()))
        && (to == null || to.equals(m.to()))
        && (msgtype == null || msgtype.equals(m.msgtype()));
  }
}
