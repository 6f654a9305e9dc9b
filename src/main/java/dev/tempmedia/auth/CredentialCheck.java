package dev.tempmedia.auth;

import dev.tempmedia.wechat.ErrorCode;
import dev.tempmedia.wechat.TokenFamily;
import dev.tempmedia.wechat.WeChatException;
import java.util.OptionalInt;

/**
 * The token endpoints' checks of appid/corpid and secret, in WeChat's order (SPEC §2): id missing
 * 41002, unknown id 40013, secret missing 41004, grant_type 40002 (not on WeCom), wrong secret 40125
 * (WeCom: 40001). A refusal before the app is known names no product: it speaks the dialect of the
 * endpoint's row in the route table (gettoken: WeCom's).
 */
public final class CredentialCheck {
  public static final String CLIENT_CREDENTIAL = "client_credential";

  private final AppRegistry apps;

  public CredentialCheck(AppRegistry apps) {
    this.apps = apps;
  }

  /** For /cgi-bin/token and /cgi-bin/stable_token: official accounts and mini programs. */
  public App officialOrMiniProgram(String appid, String secret, String grantType) {
    if (blank(appid)) {
      throw new WeChatException(ErrorCode.APPID_MISSING, "the appid parameter is missing or empty");
    }
    App app = apps.find(appid).filter(a -> a.product().profile().tokens() == TokenFamily.APP_SECRET).orElseThrow(() -> new WeChatException(
        ErrorCode.INVALID_APPID, apps.find(appid).isPresent()
            ? appid + " is a WeCom corp: WeCom tokens come from /cgi-bin/gettoken?corpid=&corpsecret="
            : "no app with appid " + appid + " is registered here" + devHint(appid)));
    if (blank(secret)) {
      throw new WeChatException(ErrorCode.APPSECRET_MISSING, app.product(), "the secret parameter is missing or empty");
    }
    if (!CLIENT_CREDENTIAL.equals(grantType)) {
      throw new WeChatException(ErrorCode.INVALID_GRANT_TYPE, app.product(),
          "grant_type is " + (grantType == null ? "missing" : "'" + grantType + "'") + "; it must be client_credential");
    }
    if (app.secretIndex(secret).isEmpty()) {
      throw new WeChatException(ErrorCode.INVALID_APPSECRET, app.product(),
          "the secret does not match the one configured for " + appid);
    }
    return app;
  }

  /** For WeCom's /cgi-bin/gettoken; the answer names which of the corp's secrets was used. */
  public Caller wecom(String corpid, String corpsecret) {
    if (blank(corpid)) {
      throw new WeChatException(ErrorCode.APPID_MISSING, "the corpid parameter is missing or empty");
    }
    App corp = apps.find(corpid).filter(a -> a.product().profile().tokens() == TokenFamily.CORP_SECRET).orElseThrow(() -> new WeChatException(
        ErrorCode.INVALID_APPID, apps.find(corpid).isPresent()
            ? corpid + " is not a WeCom corp: its tokens come from /cgi-bin/token or /cgi-bin/stable_token"
            : "no WeCom corp with corpid " + corpid + " is registered here" + devHint(corpid)));
    if (blank(corpsecret)) {
      throw new WeChatException(ErrorCode.APPSECRET_MISSING, corp.product(), "the corpsecret parameter is missing or empty");
    }
    OptionalInt index = corp.secretIndex(corpsecret);
    if (index.isEmpty()) {
      throw new WeChatException(ErrorCode.INVALID_CREDENTIAL, corp.product(),
          "the corpsecret matches none of the " + corp.secrets().size() + " secret(s) configured for " + corpid);
    }
    return new Caller(corp, index.getAsInt());
  }

  private String devHint(String id) {
    return apps.find(DevApps.ALL.get(0).id()).isPresent()
        ? " (the well-known development apps are " + DevApps.ALL.stream().map(App::id)
            .collect(java.util.stream.Collectors.joining(", ")).replaceFirst(", (?=[^,]*$)", " and ") + ")"
        : "";
  }

  private static boolean blank(String s) {
    return s == null || s.isEmpty();
  }
}
