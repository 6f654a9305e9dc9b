package dev.tempmedia.wechat;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything that differs between the products on the wire, as data, chosen once from the app's
 * product (one definition per product below, with named fields). Handlers never ask "is this
 * WeCom?": they ask the dialect. What a product is beyond the wire lives in {@link ProductProfile}.
 */
public final class Dialect {
  /** The characters of a media id after the product's prefix: 48 bytes in base64url, WeChat's length. */
  public static final int MEDIA_ID_CHARS = 64;

  public static final Dialect OFFICIAL_ACCOUNT = new Builder(Product.OFFICIAL_ACCOUNT)
      .invalidToken(ErrorCode.INVALID_CREDENTIAL)
      .videoAsLink(true)
      .build();

  public static final Dialect MINI_PROGRAM = new Builder(Product.MINI_PROGRAM)
      .okEnvelope(true)
      .invalidToken(ErrorCode.INVALID_CREDENTIAL)
      .videoAsLink(true)
      .build();

  public static final Dialect WECOM = new Builder(Product.WECOM)
      .okEnvelope(true)
      .tokenOkEnvelope(true)
      .createdAtAsString(true)
      .wecomErrorStyle(true)
      .invalidToken(ErrorCode.INVALID_ACCESS_TOKEN)
      .mediaIdPrefix("3")
      .uploadedNameOnDownload(true)
      .build();

  private final Product product;
  private final boolean okEnvelope;
  private final boolean tokenOkEnvelope;
  private final boolean createdAtAsString;
  private final boolean wecomErrorStyle;
  private final ErrorCode invalidToken;
  private final String mediaIdPrefix;
  private final boolean videoAsLink;
  private final boolean uploadedNameOnDownload;

  private Dialect(Builder b) {
    this.product = b.product;
    this.okEnvelope = b.okEnvelope;
    this.tokenOkEnvelope = b.tokenOkEnvelope;
    this.createdAtAsString = b.createdAtAsString;
    this.wecomErrorStyle = b.wecomErrorStyle;
    this.invalidToken = b.invalidToken;
    this.mediaIdPrefix = b.mediaIdPrefix;
    this.videoAsLink = b.videoAsLink;
    this.uploadedNameOnDownload = b.uploadedNameOnDownload;
  }

  /** The product this dialect speaks for. */
  public Product product() {
    return product;
  }

  /** Upload answers carry {@code "errcode":0,"errmsg":"ok"} first. */
  public boolean okEnvelope() {
    return okEnvelope;
  }

  /** Token answers carry it too (only WeCom's gettoken does). */
  public boolean tokenOkEnvelope() {
    return tokenOkEnvelope;
  }

  /** Upload answers carry created_at as a JSON string (WeCom). */
  public boolean createdAtAsString() {
    return createdAtAsString;
  }

  /** Errors use the WeCom hint suffix and Error-Code/Error-Msg headers. */
  public boolean wecomErrorStyle() {
    return wecomErrorStyle;
  }

  /** The code for a genuine token that is no longer valid. */
  public ErrorCode invalidToken() {
    return invalidToken;
  }

  /** What precedes the {@link #MEDIA_ID_CHARS} characters of a media_id. */
  public String mediaIdPrefix() {
    return mediaIdPrefix;
  }

  /** A video download answers {@code {"video_url": …}} instead of the bytes. */
  public boolean videoAsLink() {
    return videoAsLink;
  }

  /** Downloads carry the uploaded file name (RFC 8187) rather than MEDIA_ID.ext. */
  public boolean uploadedNameOnDownload() {
    return uploadedNameOnDownload;
  }

  @Override
  public String toString() {
    return "Dialect[" + product.wireName() + "]";
  }

  /** Named fields, each false (or WeChat's plain default) unless a definition says otherwise. */
  private static final class Builder {
    private final Product product;
    private boolean okEnvelope;
    private boolean tokenOkEnvelope;
    private boolean createdAtAsString;
    private boolean wecomErrorStyle;
    private ErrorCode invalidToken;
    private String mediaIdPrefix = "";
    private boolean videoAsLink;
    private boolean uploadedNameOnDownload;

    Builder(Product product) {
      this.product = product;
    }

    Builder okEnvelope(boolean v) {
      okEnvelope = v;
      return this;
    }

    Builder tokenOkEnvelope(boolean v) {
      tokenOkEnvelope = v;
      return this;
    }

    Builder createdAtAsString(boolean v) {
      createdAtAsString = v;
      return this;
    }

    Builder wecomErrorStyle(boolean v) {
      wecomErrorStyle = v;
      return this;
    }

    Builder invalidToken(ErrorCode v) {
      invalidToken = v;
      return this;
    }

    Builder mediaIdPrefix(String v) {
      mediaIdPrefix = v;
      return this;
    }

    Builder videoAsLink(boolean v) {
      videoAsLink = v;
      return this;
    }

    Builder uploadedNameOnDownload(boolean v) {
      uploadedNameOnDownload = v;
      return this;
    }

    Dialect build() {
      return new Dialect(this);
    }
  }

  static final String WECOM_MORE_INFO = "https://open.work.weixin.qq.com/devtool/query?e=";

  public static Dialect of(Product product) {
    return product.profile().dialect();
  }

  /** WeChat's text for the error, followed by the rid or the WeCom hint. */
  public String errmsg(ErrorCode error, RequestId id, String clientIp) {
    if (wecomErrorStyle) {
      return error.wecomText() + ", hint: [" + id.wecomHint() + "], from ip: " + clientIp
          + ", more info at " + WECOM_MORE_INFO + error.code();
    }
    return error.text() + " rid: " + id.rid();
  }

  /** Extra response headers on an error: WeCom repeats the error in Error-Code / Error-Msg. */
  public Map<String, String> errorHeaders(ErrorCode error, String errmsg) {
    if (!wecomErrorStyle) {
      return Map.of();
    }
    return Map.of("Error-Code", Integer.toString(error.code()), "Error-Msg", errmsg);
  }

  public Map<String, Object> errorBody(int errcode, String errmsg) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("errcode", errcode);
    body.put("errmsg", errmsg);
    return body;
  }

  /** The answer of a token endpoint. /cgi-bin/token has no envelope; WeCom's gettoken has one. */
  public Map<String, Object> tokenBody(String accessToken, long expiresIn) {
    Map<String, Object> body = successEnvelope(tokenOkEnvelope);
    body.put("access_token", accessToken);
    body.put("expires_in", expiresIn);
    return body;
  }

  /** The answer of an upload; a thumb answers under thumb_media_id. */
  public Map<String, Object> uploadBody(String type, String mediaId, long createdAt) {
    Map<String, Object> body = successEnvelope(okEnvelope);
    body.put("type", type);
    body.put("thumb".equals(type) ? "thumb_media_id" : "media_id", mediaId);
    body.put("created_at", createdAtAsString ? Long.toString(createdAt) : createdAt);
    return body;
  }

  private static Map<String, Object> successEnvelope(boolean withOk) {
    Map<String, Object> body = new LinkedHashMap<>();
    if (withOk) {
      body.put("errcode", 0);
      body.put("errmsg", "ok");
    }
    return body;
  }
}
