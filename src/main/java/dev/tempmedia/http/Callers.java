package dev.tempmedia.http;

import dev.tempmedia.auth.App;
import dev.tempmedia.auth.TokenService;
import dev.tempmedia.quota.QuotaService;
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

  public Callers(TokenService tokens, QuotaService quotas) {
    this.tokens = tokens;
    this.quotas = quotas;
  }

  /**
   * The app whose access_token the request carries, recorded as the exchange's caller, once its call
   * is within the path's quota. A refused token (expired, superseded, invalidated) that this server did
   * issue still names its app: the refusal is recorded under that app, so the inspector's appid filter
   * shows it among the app's other calls.
   */
  public Future<App> authenticated(Exchange ex) {
    String token = ex.param("access_token");
    return Stages.onLoop(tokens.authenticate(token)).transform(checked -> {
      if (checked.succeeded()) {
        App app = checked.result().app();
        ex.caller(app.id(), app.product());
        ex.acceptToken();
        if (!quotas.any()) {
          return Future.succeededFuture(app);
        }
        return Stages.onLoop(quotas.admit(app, ex.endpoint())).map(v -> app);
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
}
