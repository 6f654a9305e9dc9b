package dev.tempmedia.wechat;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything that differs between the products on the wire, as data, chosen once from the app's
 * product. Handlers never ask "is this WeCom?": they ask the dialect.
 *
 * @param product                the product this dialect speaks for
 * @param okEnvelope             upload answers carry {@code "errcode":0,"errmsg":"ok"} first
 * @param tokenOkEnvelope        token answers carry it too (only WeCom's gettoken does)
 * @param createdAtAsString      upload answers carry created_at as a JSON string (WeCom)
 * @param wecomErrorStyle        errors use the WeCom hint suffix and Error-Code/Error-Msg headers
 * @param invalidToken           the code for a genuine token that is no longer valid
 * @param mediaIdPrefix          what precedes the 64 characters of a media_id
 * @param videoAsLink            a video download answers {@code {"video_url": …}} instead of the bytes
 * @param uploadedNameOnDownload downloads carry the uploaded file name (RFC 8187) rather than MEDIA_ID.ext
 */
public record Dialect(
    Product product,
    boolean okEnvelope,
    boolean tokenOkEnvelope,
    boolean createdAtAsString,
    boolean wecomErrorStyle,
    ErrorCode invalidToken,
    String mediaIdPrefix,
    boolean videoAsLink,
    boolean uploadedNameOnDownload) {

  public static final Dialect OFFICIAL_ACCOUNT =
      new Dialect(Product.OFFICIAL_ACCOUNT, false, false, false, false, ErrorCode.INVALID_CREDENTIAL, "", true, false);
  public static final Dialect MINI_PROGRAM =
      new Dialect(Product.MINI_PROGRAM, true, false, false, false, ErrorCode.INVALID_CREDENTIAL, "", true, false);
  public static final Dialect WECOM =
      new Dialect(Product.WECOM, true, true, true, true, ErrorCode.INVALID_ACCESS_TOKEN, "3", false, true);

  static final String WECOM_MORE_INFO = "https://open.work.weixin.qq.com/devtool/query?e=";

  public static Dialect of(Product product) {
    return switch (product) {
      case OFFICIAL_ACCOUNT -> OFFICIAL_ACCOUNT;
      case MINI_PROGRAM -> MINI_PROGRAM;
      case WECOM -> WECOM;
    };
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
