package dev.tempmedia.wechat;

/**
 * The catalog of WeChat errors this server can answer: code, WeChat's own text (typos included,
 * because clients and people search for them), and the WeCom wording where it differs.
 */
public enum ErrorCode {
  SYSTEM_ERROR(-1, "system error"),
  /** A cloud call of an API the function may not call (wx-server-sdk index.js:3177, -604101). */
  OPENAPI_NO_PERMISSION(-604101, "function has no permission to call this API"),
  INVALID_CREDENTIAL(40001, "invalid credential, access_token is invalid or not latest"),
  INVALID_GRANT_TYPE(40002, "invalid grant_type"),
  /** A message's recipient: an openid (OA, MP) or a member's userid (WeCom). */
  INVALID_OPENID(40003, "invalid openid", "invalid userid"),
  INVALID_MEDIA_TYPE(40004, "invalid media type"),
  INVALID_FILE_TYPE(40005, "invalid file type"),
  INVALID_MEDIA_SIZE(40006, "invalid meida size"),
  INVALID_MEDIA_ID(40007, "invalid media_id"),
  INVALID_MESSAGE_TYPE(40008, "invalid message type"),
  INVALID_IMAGE_SIZE(40009, "invalid image size"),
  INVALID_VOICE_SIZE(40010, "invalid voice size"),
  INVALID_VIDEO_SIZE(40011, "invalid video size"),
  INVALID_THUMB_SIZE(40012, "invalid thumb size"),
  INVALID_APPID(40013, "invalid appid", "invalid corpid"),
  INVALID_ACCESS_TOKEN(40014, "invalid access_token"),
  INVALID_AGENTID(40056, "invalid agentid"),
  INVALID_PARAMETER(40058, "invalid parameter"),
  INVALID_EXTERNAL_USERID(40096, "invalid external userid"),
  INVALID_APPSECRET(40125, "invalid appsecret"),
  ACCESS_TOKEN_MISSING(41001, "access_token missing"),
  APPID_MISSING(41002, "appid missing", "corpid missing"),
  APPSECRET_MISSING(41004, "appsecret missing", "corpsecret missing"),
  MEDIA_DATA_MISSING(41005, "media data missing"),
  MEDIA_ID_MISSING(41006, "media_id missing"),
  AGENTID_MISSING(41011, "missing agentid"),
  ACCESS_TOKEN_EXPIRED(42001, "access_token expired"),
  REQUIRE_POST_METHOD(43002, "require POST method"),
  EMPTY_MEDIA_DATA(44001, "empty media data"),
  EMPTY_NEWS_DATA(44003, "empty news data"),
  EMPTY_CONTENT(44004, "empty content"),
  MEDIA_SIZE_OUT_OF_LIMIT(45001, "media size out of limit"),
  CONTENT_SIZE_OUT_OF_LIMIT(45002, "content size out of limit"),
  ARTICLE_SIZE_OUT_OF_LIMIT(45008, "article size out of limit"),
  DAILY_QUOTA_REACHED(45009, "reach max api daily quota limit"),
  // Not checked (the emulator cannot know when a user last wrote): for fault rules on the send
  // paths.
  RESPONSE_OUT_OF_TIME_LIMIT(45015, "response out of time limit or subscription is canceled"),
  OUT_OF_RESPONSE_COUNT_LIMIT(45047, "out of response count limit"),
  DATA_FORMAT_ERROR(47001, "data format error"),
  API_UNAUTHORIZED(48001, "api unauthorized"),
  RID_NOT_FOUND(76001, "rid not found"),
  RID_MALFORMED(76002, "rid is error"),
  RID_NOT_YOURS(76003, "could not query this rid,no permission"),
  CGI_PATH_NOT_FOUND(76021, "cgi_path not found, please check"),
  // Message sends (SPEC §10): WeCom's recipients, group chats and 微信客服 accounts.
  RECIPIENTS_ALL_INVALID(81013, "user & party & tag all invalid"),
  INVALID_CHATID(86001, "invalid chatid"),
  INVALID_OPEN_KFID(95000, "invalid open_kfid"),
  // upload_by_url job outcomes (SPEC §12); the wording is this server's, the codes WeCom's.
  MD5_MISMATCH(301019, "file md5 mismatch"),
  URL_INVALID(830001, "invalid url, or the url does not support Range requests"),
  RANGE_TOO_LARGE(830002, "file too large to be downloaded without Range, or a range over 20 MB"),
  URL_FETCH_FAILED(830003, "url download failed");

  private final int code;
  private final String text;
  private final String wecomText;

  ErrorCode(int code, String text) {
    this(code, text, text);
  }

  ErrorCode(int code, String text, String wecomText) {
    this.code = code;
    this.text = text;
    this.wecomText = wecomText;
  }

  public int code() {
    return code;
  }

  public String text() {
    return text;
  }

  public String wecomText() {
    return wecomText;
  }

  public static ErrorCode fromCode(int code) {
    for (ErrorCode e : values()) {
      if (e.code == code) {
        return e;
      }
    }
    throw new IllegalArgumentException("no WeChat error with code " + code);
  }
}
