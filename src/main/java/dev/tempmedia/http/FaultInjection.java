package dev.tempmedia.http;

import dev.tempmedia.auth.App;
import dev.tempmedia.auth.AppRegistry;
import dev.tempmedia.auth.TokenService;
import dev.tempmedia.emulator.FaultRule;
import dev.tempmedia.emulator.FaultRules;
import dev.tempmedia.wechat.ErrorCode;
import dev.tempmedia.wechat.IdField;
import dev.tempmedia.wechat.WeChatException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpVersion;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Applies the dev-mode fault rules to a request before its route runs: adds latency, answers the
 * rule's WeChat error in the endpoint's own shape, or drops the connection. A rule's appid is
 * matched against the app the request names: its access_token's app, or the appid / corpid query
 * parameter of the token endpoints (stable_token names its app in the body, which is not read here).
 */
public final class FaultInjection {
  private final FaultRules rules;
  private final Vertx vertx;
  private final TokenService tokens;
  private final AppRegistry apps;
  private final Consumer<String> fired;

  /** @param fired told the effect ("errcode", "drop", "latency") of every fault that fires */
  public FaultInjection(
      FaultRules rules,
      Vertx vertx,
      TokenService tokens,
      AppRegistry apps,
      Consumer<String> fired) {
    this.rules = rules;
    this.vertx = vertx;
    this.tokens = tokens;
    this.apps = apps;
    this.fired = fired;
  }

  boolean armed() {
    return rules.armed();
  }

  void apply(Exchange ex, WeChatRoute entry, Runnable proceed, Consumer<Exchange> finish) {
    Future<Optional<App>> named = namedApp(ex);
    if (named.isComplete()) {
      apply(ex, entry, named.succeeded() ? named.result() : Optional.empty(), proceed, finish);
      return;
    }
    // The app is being looked up (a created app, or an unknown id, in Redis): the body must wait
    // for the route's handlers. A name that cannot be looked up matches no rule; the route then
    // says why.
    ex.holdBody();
    named.onComplete(done -> {
      apply(ex, entry, done.succeeded() ? done.result() : Optional.empty(), proceed, finish);
      ex.releaseBody();
    });
  }

  /** Applies the rule for {@code app}, if one fires. */
  private void apply(
      Exchange ex,
      WeChatRoute entry,
      Optional<App> app,
      Runnable proceed,
      Consumer<Exchange> finish) {
    app.ifPresent(a -> ex.caller(a.id(), a.product()));
    FaultRule rule = rules
        .fire(ex.request().path(), app.map(App::id).orElse(null), ex.param("type"))
        .orElse(null);
    if (rule == null) {
      proceed.run();
      return;
    }
    fired.accept(rule.drop() ? "drop" : rule.errcode() != null ? "errcode" : "latency");
    Runnable effect = () -> {
      if (rule.drop()) {
        drop(ex, rule, finish);
      } else if (rule.errcode() != null) {
        entry
            .errors()
            .write(
                ex,
                new WeChatException(
                    ErrorCode.fromCode(rule.errcode()),
                    "injected by " + rule.describe() + " on " + rule.path()
                        + "; the request itself was not checked"
                        + " (list the rules with GET /_tempmedia/faults, clear them with DELETE)"));
      } else {
        proceed.run();
      }
    };
    if (rule.latencyMs() <= 0) {
      effect.run();
      return;
    }
    // The body must wait for the route's handlers, which are set only when the delay is over (and
    // perhaps later still, if the route itself looks something up first: its hold counts too).
    ex.holdBody();
    vertx.setTimer(rule.latencyMs(), t -> {
      effect.run();
      ex.releaseBody();
    });
  }

  private static void drop(Exchange ex, FaultRule rule, Consumer<Exchange> finish) {
    ex.outcome(
        0, null, "connection dropped on purpose by " + rule.describe() + " on " + rule.path());
    ex.dropped();
    finish.accept(ex);
    if (ex.request().version() == HttpVersion.HTTP_2) {
      ex.request().response().reset(); // one stream; the connection carries others
    } else {
      ex.request().connection().close();
    }
  }

  private Future<Optional<App>> namedApp(Exchange ex) {
    for (IdField field : IdField.values()) {
      String named = ex.param(field.wireName());
      if (named != null) {
        return Stages.onLoop(apps.lookup(named));
      }
    }
    return Stages.onLoop(tokens.claimedApp(ex.param("access_token")));
  }
}
