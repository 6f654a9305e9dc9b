package dev.tempmedia.wechat;

/** How a product's apps get their access tokens (SPEC §2). */
public enum TokenFamily {
  /**
   * appid + secret at {@code /cgi-bin/token} and {@code /cgi-bin/stable_token}: one secret, a token line
   * for each of the two endpoints.
   */
  APP_SECRET,
  /** corpid + corpsecret at {@code /cgi-bin/gettoken}: several secrets (one per WeCom application), a line each. */
  CORP_SECRET
}
