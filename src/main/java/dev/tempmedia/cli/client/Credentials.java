package dev.tempmedia.cli.client;

/**
 * Who the client speaks for: an Official Account or Mini Program (appid + secret) or a WeCom corp
 * (corpid + corp secret). The two take their tokens from different endpoints.
 */
public record Credentials(Kind kind, String id, String secret) {
  public enum Kind {
    APP,
    CORP
  }

  public static Credentials app(String appid, String secret) {
    return new Credentials(Kind.APP, appid, secret);
  }

  public static Credentials corp(String corpid, String secret) {
    return new Credentials(Kind.CORP, corpid, secret);
  }

  @Override
  public String toString() {
    return (kind == Kind.APP ? "appid " : "corpid ") + id; // never the secret
  }
}
