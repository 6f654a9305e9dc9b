package dev.tempmedia.http;

import dev.tempmedia.auth.App;
import dev.tempmedia.auth.AppRegistry;
import dev.tempmedia.auth.TokenService;
import dev.tempmedia.quota.QuotaService;
import dev.tempmedia.wechat.ErrorCode;
import dev.tempmedia.wechat.WeChatException;
import io.vertx.core.Future;

/**
 * Who calls a WeChat route that takes an access_token: the token check, then the daily quota of the
 * route's path (SPEC §13), in that order, so only a call that passed the token check is counted. Every
 * such route asks here, so no route can skip the quota.
 */
public final class Callers {
  private final TokenService tokens;
  private final QuotaService quotas;
  private final AppRegistry apps;
  private final String cloudRunApp;

  public Callers(TokenService tokens, QuotaService quotas) {
    this(tokens, quotas, null, null);
  }

  /**
   * @param cloudRunApp the app a call without an access_token acts as (WeChat Cloud Run's open-API
   *                    mode, {@code cloudRun.appid}), or null when such a call is refused as usual
   */
  public Callers(TokenService tokens, QuotaService quotas, AppRegistry apps, String cloudRunApp) {
    this.tokens = tokens;
    this.quotas = quotas;
    this.apps = apps;
    this.cloudRunApp = cloudRunApp;
  }

  /**
   * The app whose access_token the request carries, recorded as the exchange's caller, once its call
   * is within the path's quota. A refused token (expired, superseded, invalidated) that this server did
   * issue still names its app: the refusal is recorded under that app, so the inspector's appid filter
   * shows it among the app's other calls.
   */
  public Future<App> authenticated(Exchange ex) {
    return authenticated(ex, ex.param("access_token"));
  }

  /** As {@link #authenticated(Exchange)}, for a token that came in another way (a form field). */
  public Future<App> authenticated(Exchange ex, String token) {
    if (cloudRunApp != null && (token == null || token.isEmpty())) {
      return cloudRun(ex);
    }
    return Stages.onLoop(tokens.authenticate(token)).transform(checked -> {
      if (checked.succeeded()) {
        App app = checked.result().app();
        ex.caller(app.id(), app.product());
        ex.acceptToken();
        return admitted(ex, app);
      }
      Throwable refused = checked.cause();
      if (!(refused instanceof WeChatException)) {
        return Future.failedFuture(refused);
      }
      return Stages.onLoop(tokens.claimedApp(token)).transform(claimed -> {
        if (claimed.succeeded()) {
          claimed.result().ifPresent(app -> ex.caller(app.id(), app.product()));
        }
        return Future.failedFuture(refused);
      });
    });
  }

  /** The app of WeChat Cloud Run's open-API mode: a container's call carries no token at all. */
  private Future<App> cloudRun(Exchange ex) {
    return Stages.onLoop(apps.lookup(cloudRunApp)).compose(found -> {
      if (found.isEmpty()) {
        return Future.failedFuture(new WeChatException(
            ErrorCode.ACCESS_TOKEN_MISSING,
            "the call has no access_token and cloudRun.appid " + cloudRunApp
                + " names no app of this server"));
      }
      App app = found.get();
      ex.caller(app.id(), app.product());
      ex.acceptToken();
      return admitted(ex, app);
    });
  }

  private Future<App> admitted(Exchange ex, App app) {
    if (!quotas.any()) {
      return Future.succeededFuture(app);
    }
    return Stages.onLoop(quotas.admit(app, ex.endpoint())).map(v -> app);
  }
}
