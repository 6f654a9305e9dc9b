package dev.tempmedia.http;

/**
 * Which way a request came in (SPEC §11), as the inspector and the access log show it: every way
 * reaches the same routes, faults and metrics.
 */
public enum Via {
  /** The plain port ({@code server.port}). */
  HTTP("http"),
  /** The HTTPS port ({@code server.https.port}), TLS with the configured or the local CA's certificate. */
  HTTPS("https"),
  /** The forward proxy, as an absolute-form request ({@code GET http://api.weixin.qq.com/…}). */
  PROXY("proxy"),
  /** The forward proxy, through a {@code CONNECT} tunnel that tempmedia's own TLS ends. */
  PROXY_TUNNEL("proxy-connect");

  private final String wireName;

  Via(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }
}
