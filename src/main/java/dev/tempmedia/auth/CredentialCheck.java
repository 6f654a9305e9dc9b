package dev.tempmedia.auth;

import dev.tempmedia.wechat.ErrorCode;
import dev.tempmedia.wechat.TokenFamily;
import dev.tempmedia.wechat.WeChatException;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The token endpoints' checks of appid/corpid and secret, in WeChat's order (SPEC §2): id missing
 * 41002, unknown id 40013, secret missing 41004, grant_type 40002 (not on WeCom), wrong secret 40125
 * (WeCom: 40001). A refusal before the app is known names no product: it speaks the dialect of the
 * endpoint's row in the route table (gettoken: WeCom's). Answers are stages: an id that is not a
 * fixed app is looked up in the state store.
 */
public final class CredentialCheck {
  public static final String CLIENT_CREDENTIAL = "client_credential";

  private final AppRegistry apps;

  public CredentialCheck(AppRegistry apps) {
    this.apps = apps;
  }

  /** For /cgi-bin/token and /cgi-bin/stable_token: official accounts and mini programs. */
  public CompletionStage<App> officialOrMiniProgram(String appid, String secret, String grantType) {
    if (blank(appid)) {
      return CompletableFuture.failedFuture(
          new WeChatException(ErrorCode.APPID_MISSING, "the appid parameter is missing or empty"));
    }
    return apps.lookup(appid).thenCompose(found -> {
      if (found.isPresent() && found.get().product().profile().tokens() == TokenFamily.APP_SECRET) {
        return CompletableFuture.completedFuture(
            officialOrMiniProgram(found.get(), secret, grantType));
      }
      if (found.isPresent()) {
        throw new WeChatException(
            ErrorCode.INVALID_APPID,
            appid
                + " is a WeCom corp: WeCom tokens come from /cgi-bin/gettoken?corpid=&corpsecret=");
      }
      return devHint(appid).thenApply(hint -> {
        throw new WeChatException(
            ErrorCode.INVALID_APPID, "no app with appid " + appid + " is registered here" + hint);
      });
    });
  }

  private static App officialOrMiniProgram(App app, String secret, String grantType) {
    if (blank(secret)) {
      throw new WeChatException(
          ErrorCode.APPSECRET_MISSING, app.product(), "the secret parameter is missing or empty");
    }
    if (!CLIENT_CREDENTIAL.equals(grantType)) {
      throw new WeChatException(
          ErrorCode.INVALID_GRANT_TYPE,
          app.product(),
          "grant_type is " + (grantType == null ? "missing" : "'" + grantType + "'")
              + "; it must be client_credential");
    }
    if (app.secretIndex(secret).isEmpty()) {
      throw new WeChatException(
          ErrorCode.INVALID_APPSECRET,
          app.product(),
          "the secret does not match the one configured for " + app.id());
    }
    return app;
  }

  /** For WeCom's /cgi-bin/gettoken; the answer names which of the corp's secrets was used. */
  public CompletionStage<Caller> wecom(String corpid, String corpsecret) {
    if (blank(corpid)) {
      return CompletableFuture.failedFuture(
          new WeChatException(ErrorCode.APPID_MISSING, "the corpid parameter is missing or empty"));
    }
    return apps.lookup(corpid).thenCompose(found -> {
      if (found.isPresent()
          && found.get().product().profile().tokens() == TokenFamily.CORP_SECRET) {
        return CompletableFuture.completedFuture(wecom(found.get(), corpsecret));
      }
      if (found.isPresent()) {
        throw new WeChatException(
            ErrorCode.INVALID_APPID,
            corpid
                + " is not a WeCom corp: its tokens come from /cgi-bin/token or /cgi-bin/stable_token");
      }
      return devHint(corpid).thenApply(hint -> {
        throw new WeChatException(
            ErrorCode.INVALID_APPID,
            "no WeCom corp with corpid " + corpid + " is registered here" + hint);
      });
    });
  }

  private static Caller wecom(App corp, String corpsecret) {
    if (blank(corpsecret)) {
      throw new WeChatException(
          ErrorCode.APPSECRET_MISSING,
          corp.product(),
          "the corpsecret parameter is missing or empty");
    }
    OptionalInt index = corp.secretIndex(corpsecret);
    if (index.isEmpty()) {
      throw new WeChatException(
          ErrorCode.INVALID_CREDENTIAL,
          corp.product(),
          "the corpsecret matches none of the " + corp.secrets().size()
              + " secret(s) configured for " + corp.id());
    }
    return new Caller(corp, index.getAsInt());
  }

  private CompletionStage<String> devHint(String id) {
    return apps.lookup(DevApps.ALL.get(0).id())
        .thenApply(dev -> dev.isPresent()
            ? " (the well-known development apps are "
                + DevApps.ALL.stream()
                    .map(App::id)
                    .collect(java.util.stream.Collectors.joining(", "))
                    .replaceFirst(", (?=[^,]*$)", " and ")
                + ")"
            : "");
  }

  private static boolean blank(String s) {
    return s == null || s.isEmpty();
  }
}
