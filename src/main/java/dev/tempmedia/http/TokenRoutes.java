package dev.tempmedia.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tempmedia.auth.App;
import dev.tempmedia.auth.CredentialCheck;
import dev.tempmedia.auth.IssuedToken;
import dev.tempmedia.auth.TokenService;
import dev.tempmedia.wechat.ErrorCode;
import dev.tempmedia.wechat.WeChatException;
import io.vertx.core.Future;
import java.util.concurrent.CompletionStage;

/** The three token endpoints (SPEC §2). Wire format only; the rules are in {@link TokenService}. */
public final class TokenRoutes {
  private static final int MAX_JSON_BODY = 16 * 1024;

  private final CredentialCheck credentials;
  private final TokenService tokens;

  public TokenRoutes(CredentialCheck credentials, TokenService tokens) {
    this.credentials = credentials;
    this.tokens = tokens;
  }

  Future<Reply> token(Exchange ex) {
    return Stages.onLoop(credentials.officialOrMiniProgram(
            ex.param("appid"), ex.param("secret"), ex.param("grant_type")))
        .compose(app -> {
          ex.caller(app.id(), app.product());
          return answer(app, tokens.issue(app));
        });
  }

  Future<Reply> stableToken(Exchange ex) {
    return JsonBodies.read(ex.request(), MAX_JSON_BODY)
        .compose(body -> Stages.onLoop(credentials.officialOrMiniProgram(
                text(body, "appid"), text(body, "secret"), text(body, "grant_type")))
            .compose(app -> {
              ex.caller(app.id(), app.product());
              JsonNode force = body.get("force_refresh");
              if (force != null && !force.isBoolean() && !force.isNull()) {
                throw new WeChatException(
                    ErrorCode.DATA_FORMAT_ERROR,
                    app.product(),
                    "force_refresh must be true or false, not " + force);
              }
              return answer(app, tokens.stable(app, force != null && force.asBoolean()));
            }));
  }

  Future<Reply> wecomToken(Exchange ex) {
    return Stages.onLoop(credentials.wecom(ex.param("corpid"), ex.param("corpsecret")))
        .compose(caller -> {
          ex.caller(caller.app().id(), caller.app().product());
          return answer(caller.app(), tokens.wecom(caller.app(), caller.secretIndex()));
        });
  }

  private static Future<Reply> answer(App app, CompletionStage<IssuedToken> issuing) {
    return Stages.onLoop(issuing)
        .map(issued ->
            Reply.json(app.dialect().tokenBody(issued.accessToken(), issued.expiresIn())));
  }

  /** A string field; numbers and booleans are not silently turned into strings. */
  private static String text(JsonNode body, String field) {
    JsonNode node = body.get(field);
    return node != null && node.isTextual() ? node.asText() : null;
  }
}
