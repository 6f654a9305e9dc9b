package dev.tempmedia.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tempmedia.auth.App;
import dev.tempmedia.clock.ServerClock;
import dev.tempmedia.inspector.RequestLog;
import dev.tempmedia.inspector.RequestRecord;
import dev.tempmedia.quota.QuotaService;
import dev.tempmedia.wechat.ErrorCode;
import dev.tempmedia.wechat.RequestId;
import dev.tempmedia.wechat.WeChatException;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * WeChat's openapi management calls (SPEC §13), as WxJava's {@code WxMaOpenApiService} and
 * {@code WxMpService.clearQuota} make them: {@code clear_quota}, {@code openapi/quota/get} and
 * {@code openapi/rid/get}. Each takes the app's own token and speaks only of that app. Wire format
 * only: quotas are {@link QuotaService}'s, requests the inspector's {@link RequestLog}.
 */
public final class OpenApiRoutes {
  private static final int MAX_JSON_BODY = 4 * 1024;
  /** How long WeChat explains a rid. */
  static final Duration RID_LIFETIME = Duration.ofDays(7);

  private final Callers callers;
  private final QuotaService quotas;
  private final RequestLog requests;
  private final ServerClock clock;
  private final java.util.Set<String> servedPaths;

  public OpenApiRoutes(
      Callers callers,
      QuotaService quotas,
      RequestLog requests,
      ServerClock clock,
      java.util.Collection<String> servedPaths) {
    this.callers = callers;
    this.quotas = quotas;
    this.requests = requests;
    this.clock = clock;
    this.servedPaths = java.util.Set.copyOf(servedPaths);
  }

  /** {@code {"appid"}} → ok: today's counters of the calling app start again from zero. */
  Future<Reply> clearQuota(Exchange ex) {
    return call(ex, (app, body) -> {
      String appid = text(body, "appid");
      if (appid == null || appid.isEmpty()) {
        throw new WeChatException(
            ErrorCode.APPID_MISSING, app.product(), "clear_quota needs {\"appid\": …} in its body");
      }
      if (!appid.equals(app.id())) {
        throw new WeChatException(
            ErrorCode.INVALID_APPID,
            app.product(),
            "clear_quota clears only the calling app's own quotas: the token is " + app.id()
                + "'s, the body names " + appid);
      }
      return Stages.onLoop(quotas.clear(app.id())).map(v -> Reply.json(ok()));
    });
  }

  /** {@code {"cgi_path"}} → the quota: daily_limit, used, remain (0 of 0 for a path without one). */
  Future<Reply> quotaGet(Exchange ex) {
    return call(ex, (app, body) -> {
      String path = text(body, "cgi_path");
      if (path == null
          || (!servedPaths.contains(path) && quotas.limit(app.id(), path).isEmpty())) {
        throw new WeChatException(
            ErrorCode.CGI_PATH_NOT_FOUND,
            app.product(),
            path == null
                ? "quota/get needs {\"cgi_path\": \"/cgi-bin/…\"} in its body"
                : "no API " + path + " on this server; its paths are " + servedPaths);
      }
      return Stages.onLoop(quotas.usage(app.id(), path)).map(usage -> {
        Map<String, Object> quota = new LinkedHashMap<>();
        quota.put("daily_limit", usage.dailyLimit());
        quota.put("used", usage.used());
        quota.put("remain", usage.remain());
        Map<String, Object> answer = ok();
        answer.put("quota", quota);
        return Reply.json(answer);
      });
    });
  }

  /** {@code {"rid"}} → the request it names, if it was the calling app's and is at most 7 days old. */
  Future<Reply> ridGet(Exchange ex) {
    return call(ex, (app, body) -> {
      String rid = text(body, "rid");
      RequestId id = RequestId.parse(rid == null ? null : rid.trim())
          .orElseThrow(() -> new WeChatException(
              ErrorCode.RID_MALFORMED,
              app.product(),
              "a rid reads hhhhhhhh-hhhhhhhh-hhhhhhhh, as in an errmsg's \"rid: …\"; got "
                  + (rid == null ? "none" : "\"" + abbreviated(rid) + "\"")));
      RequestRecord found = requests
          .find(id.rid())
          .orElseThrow(() -> new WeChatException(
              ErrorCode.RID_NOT_FOUND,
              app.product(),
              "no request " + id.rid() + " among the last " + requests.capacity()
                  + " this instance served"));
      if (clock.millis() - found.timeMillis() > RID_LIFETIME.toMillis()) {
        throw new WeChatException(
            ErrorCode.RID_NOT_FOUND,
            app.product(),
            "request " + id.rid() + " is older than " + RID_LIFETIME.toDays() + " days");
      }
      if (found.explained() == null || !app.id().equals(found.appid())) {
        throw new WeChatException(
            ErrorCode.RID_NOT_YOURS,
            app.product(),
            "request " + id.rid() + " was not made with a valid token of " + app.id()
                + "; a rid is explained only to its own app");
      }
      RequestRecord.Explained e = found.explained();
      Map<String, Object> request = new LinkedHashMap<>();
      request.put("invoke_time", Math.floorDiv(found.timeMillis(), 1000));
      request.put("cost_in_ms", Math.round(found.durationMs()));
      request.put("request_url", e.requestUrl());
      request.put("request_body", e.requestBody());
      request.put("response_body", e.responseBody());
      request.put("client_ip", e.clientIp());
      Map<String, Object> answer = ok();
      answer.put("request", request);
      return Future.succeededFuture(Reply.json(answer));
    });
  }

  @FunctionalInterface
  private interface Action {
    Future<Reply> run(App app, JsonNode body);
  }

  /** The app's token (and quota), the product's permission, then the JSON body. */
  private Future<Reply> call(Exchange ex, Action action) {
    return Stages.paused(ex, callers.authenticated(ex), app -> {
      if (!app.product().profile().openApiManagement()) {
        throw new WeChatException(
            ErrorCode.API_UNAUTHORIZED,
            app.product(),
            ex.endpoint() + " is an Official Account and Mini Program call; "
                + app.product().wireName() + " has no equivalent");
      }
      return JsonBodies.readKept(ex, MAX_JSON_BODY).compose(body -> action.run(app, body));
    });
  }

  private static Map<String, Object> ok() {
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("errcode", 0);
    answer.put("errmsg", "ok");
    return answer;
  }

  private static String text(JsonNode body, String field) {
    JsonNode node = body.get(field);
    return node != null && node.isTextual() ? node.asText() : null;
  }

  private static String abbreviated(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }
}
