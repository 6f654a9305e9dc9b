package dev.tempmedia.cli.client;

/** An answer of the form {@code {"errcode":N,"errmsg":"…"}} with N other than 0. */
public final class WeChatError extends Exception {
  private final int errcode;
  private final String errmsg;

  public WeChatError(int errcode, String errmsg) {
    super("errcode " + errcode + ": " + errmsg);
    this.errcode = errcode;
    this.errmsg = errmsg;
  }

  public int errcode() {
    return errcode;
  }

  public String errmsg() {
    return errmsg;
  }
}
