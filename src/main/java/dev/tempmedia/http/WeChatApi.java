package dev.tempmedia.http;

import dev.tempmedia.wechat.CloudCallShape;
import dev.tempmedia.wechat.Dialect;
import dev.tempmedia.wechat.ProductProfile;
import dev.tempmedia.wechat.TokenFamily;
import io.vertx.core.http.HttpMethod;
import java.util.List;
import java.util.Set;

/**
 * The WeChat API this server speaks, in one table: every path, the methods it takes, the dialect its
 * errors speak before an app is known, how it writes a failure, and its handler. The path constants
 * are the ones every client in this project (the command line, the banner, the tests) uses, so a
 * path is typed once. The operator namespace has its own table, {@code admin.OperatorApi}.
 */
public final class WeChatApi {
  public static final String TOKEN = "/cgi-bin/token";
  public static final String STABLE_TOKEN = "/cgi-bin/stable_token";
  public static final String WECOM_TOKEN = "/cgi-bin/gettoken";
  public static final String MEDIA_UPLOAD = "/cgi-bin/media/upload";
  public static final String MEDIA_GET = "/cgi-bin/media/get";
  /** The HD (Speex) voice of a voice the JS-SDK uploaded (official accounts and WeCom). */
  public static final String MEDIA_GET_JSSDK = "/cgi-bin/media/get/jssdk";

  public static final String MEDIA_UPLOAD_IMG = "/cgi-bin/media/uploadimg";
  public static final String MEDIA_UPLOAD_ATTACHMENT = "/cgi-bin/media/upload_attachment";
  public static final String MEDIA_UPLOAD_VIDEO = "/cgi-bin/media/uploadvideo";
  public static final String MEDIA_UPLOAD_BY_URL = "/cgi-bin/media/upload_by_url";
  public static final String MEDIA_UPLOAD_BY_URL_RESULT = "/cgi-bin/media/get_upload_by_url_result";
  public static final String CLOUD_UPLOAD_TEMP_MEDIA =
      "/openapi/customerServiceMessage/uploadTempMedia";
  public static final String CLOUD_GET_TEMP_MEDIA = "/openapi/customerServiceMessage/getTempMedia";
  /** The TCB gateway wx-server-sdk's cloud.openapi calls reach (SPEC §9). */
  public static final String TCB_ADMIN = "/tcb/admin";

  /** The send endpoints of the outbox (SPEC §10, dev mode). */
  public static final String MESSAGE_CUSTOM_SEND = "/cgi-bin/message/custom/send";

  public static final String WECOM_MESSAGE_SEND = "/cgi-bin/message/send";
  public static final String WECOM_APPCHAT_SEND = "/cgi-bin/appchat/send";
  public static final String WECOM_KF_SEND = "/cgi-bin/kf/send_msg";
  public static final String CLOUD_SEND_MESSAGE = "/openapi/customerServiceMessage/send";

  public static final String CLEAR_QUOTA = "/cgi-bin/clear_quota";
  public static final String QUOTA_GET = "/cgi-bin/openapi/quota/get";
  public static final String RID_GET = "/cgi-bin/openapi/rid/get";

  /** The paths only a server with an outbox (dev mode) has. */
  public static final List<String> MESSAGE_PATHS = List.of(
      MESSAGE_CUSTOM_SEND,
      WECOM_MESSAGE_SEND,
      WECOM_APPCHAT_SEND,
      WECOM_KF_SEND,
      CLOUD_SEND_MESSAGE);

  /** Every path of the table, in its order (the console offers them in its fault form). */
  public static final List<String> PATHS = List.of(
      TOKEN,
      STABLE_TOKEN,
      WECOM_TOKEN,
      MEDIA_UPLOAD,
      MEDIA_GET,
      MEDIA_GET_JSSDK,
      MEDIA_UPLOAD_IMG,
      MEDIA_UPLOAD_ATTACHMENT,
      MEDIA_UPLOAD_VIDEO,
      MEDIA_UPLOAD_BY_URL,
      MEDIA_UPLOAD_BY_URL_RESULT,
      CLOUD_UPLOAD_TEMP_MEDIA,
      CLOUD_GET_TEMP_MEDIA,
      TCB_ADMIN,
      CLEAR_QUOTA,
      QUOTA_GET,
      RID_GET,
      MESSAGE_CUSTOM_SEND,
      WECOM_MESSAGE_SEND,
      WECOM_APPCHAT_SEND,
      WECOM_KF_SEND,
      CLOUD_SEND_MESSAGE);

  private static final Set<HttpMethod> GET_OR_POST = Set.of(HttpMethod.GET, HttpMethod.POST);
  private static final Set<HttpMethod> POST = Set.of(HttpMethod.POST);
  private static final Set<HttpMethod> GET_OR_HEAD = Set.of(HttpMethod.GET, HttpMethod.HEAD);

  private WeChatApi() {}

  /** The paths of {@link #routes} for a server with ({@code outbox}) or without an outbox. */
  public static List<String> paths(boolean outbox) {
    return outbox
        ? PATHS
        : PATHS.stream().filter(p -> !MESSAGE_PATHS.contains(p)).toList();
  }

  /**
   * The table (SPEC §2–§5, §9, §10, §12, §13); the send rows only when {@code messages} is not null
   * (dev mode). Token endpoints and media share the Official Account's error text until
   * the app is known; the TCB gateway speaks the mini program's inside its protobuf answers and its own
   * JSON for refusals of the gateway.
   */
  public static List<WeChatRoute> routes(
      TokenRoutes tokens,
      MediaRoutes media,
      CloudCallRoutes cloudCall,
      TcbGatewayRoutes tcb,
      OpenApiRoutes openApi,
      UploadByUrlRoutes byUrl,
      MessageRoutes messages) {
    List<WeChatRoute> rows = new java.util.ArrayList<>(List.of(
        WeChatRoute.of(TOKEN, GET_OR_POST, Dialect.OFFICIAL_ACCOUNT, tokens::token),
        WeChatRoute.of(STABLE_TOKEN, POST, Dialect.OFFICIAL_ACCOUNT, tokens::stableToken),
        WeChatRoute.of(WECOM_TOKEN, GET_OR_POST, Dialect.WECOM, tokens::wecomToken),
        WeChatRoute.of(MEDIA_UPLOAD, POST, Dialect.OFFICIAL_ACCOUNT, media::upload),
        WeChatRoute.of(MEDIA_GET, GET_OR_HEAD, Dialect.OFFICIAL_ACCOUNT, media::download),
        WeChatRoute.of(
            MEDIA_GET_JSSDK, GET_OR_HEAD, Dialect.OFFICIAL_ACCOUNT, media::jssdkDownload),
        WeChatRoute.of(MEDIA_UPLOAD_IMG, POST, Dialect.OFFICIAL_ACCOUNT, media::uploadImage),
        WeChatRoute.of(MEDIA_UPLOAD_ATTACHMENT, POST, Dialect.WECOM, media::uploadAttachment),
        WeChatRoute.of(MEDIA_UPLOAD_VIDEO, POST, Dialect.OFFICIAL_ACCOUNT, media::massVideo),
        WeChatRoute.of(MEDIA_UPLOAD_BY_URL, POST, Dialect.WECOM, byUrl::submit),
        WeChatRoute.of(MEDIA_UPLOAD_BY_URL_RESULT, POST, Dialect.WECOM, byUrl::result),
        cloudCall(CLOUD_UPLOAD_TEMP_MEDIA, CloudCallRoutes.UPLOAD_API, cloudCall::upload),
        cloudCall(CLOUD_GET_TEMP_MEDIA, CloudCallRoutes.GET_API, cloudCall::get),
        new WeChatRoute(
            TCB_ADMIN,
            POST,
            ProductProfile.MINI_PROGRAM.dialect(),
            tcb::admin,
            TcbGatewayRoutes::error),
        WeChatRoute.of(CLEAR_QUOTA, POST, Dialect.OFFICIAL_ACCOUNT, openApi::clearQuota),
        WeChatRoute.of(QUOTA_GET, POST, Dialect.OFFICIAL_ACCOUNT, openApi::quotaGet),
        WeChatRoute.of(RID_GET, POST, Dialect.OFFICIAL_ACCOUNT, openApi::ridGet)));
    if (messages != null) {
      rows.addAll(List.of(
          WeChatRoute.of(
              MESSAGE_CUSTOM_SEND, POST, Dialect.OFFICIAL_ACCOUNT, messages::customerService),
          WeChatRoute.of(WECOM_MESSAGE_SEND, POST, Dialect.WECOM, messages::appMessage),
          WeChatRoute.of(WECOM_APPCHAT_SEND, POST, Dialect.WECOM, messages::appChat),
          WeChatRoute.of(WECOM_KF_SEND, POST, Dialect.WECOM, messages::kf),
          cloudCall(CLOUD_SEND_MESSAGE, CloudCallRoutes.SEND_API, cloudCall::send)));
    }
    return List.copyOf(rows);
  }

  /** The path and query that fetch a token for an app of {@code family} (id and secret as given, unencoded). */
  public static String tokenRequest(TokenFamily family, String id, String secret) {
    return switch (family) {
      case APP_SECRET -> TOKEN + "?grant_type=client_credential&appid=" + id + "&secret=" + secret;
      case CORP_SECRET -> WECOM_TOKEN + "?corpid=" + id + "&corpsecret=" + secret;
    };
  }

  /** A cloud-call row: its failures in the cloud-call envelope of the product that has one (the mini program). */
  private static WeChatRoute cloudCall(String path, String api, Route route) {
    ProductProfile caller = ProductProfile.MINI_PROGRAM;
    CloudCallShape shape = caller.cloudCall().orElseThrow();
    return new WeChatRoute(
        path,
        POST,
        caller.dialect(),
        route,
        (ex, failure) -> Responder.cloudCallError(ex, shape, api, failure));
  }
}
