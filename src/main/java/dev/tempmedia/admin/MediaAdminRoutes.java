package dev.tempmedia.admin;

import dev.tempmedia.auth.App;
import dev.tempmedia.auth.AppRegistry;
import dev.tempmedia.http.Exchange;
import dev.tempmedia.http.Exchanges;
import dev.tempmedia.http.MediaRoutes;
import dev.tempmedia.http.Reply;
import dev.tempmedia.http.Responder;
import dev.tempmedia.http.WeChatRoute;
import dev.tempmedia.media.MediaId;
import dev.tempmedia.media.MediaService;
import dev.tempmedia.wechat.WeChatException;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code media}: an app's live media (list, purge) and, for the console, upload and download on an
 * app's behalf without its secret. Uploads and downloads go through the same code as the WeChat API
 * and appear in the request inspector like any other call.
 */
public final class MediaAdminRoutes {
  private final AppRegistry apps;
  private final MediaService media;
  private final MediaRoutes mediaRoutes;
  private final Exchanges exchanges;

  private final Runnable purged;

  /** @param purged told after each purge (the storage gauges measure again) */
  public MediaAdminRoutes(
      AppRegistry apps,
      MediaService media,
      MediaRoutes mediaRoutes,
      Exchanges exchanges,
      Runnable purged) {
    this.apps = apps;
    this.media = media;
    this.mediaRoutes = mediaRoutes;
    this.exchanges = exchanges;
    this.purged = purged;
  }

  Map<String, Object> list(AdminCall call) throws Exception {
    App app = app(call);
    return Map.of(
        "media",
        media.live(app).stream()
            .map(m -> {
              Map<String, Object> v = new LinkedHashMap<>();
              v.put("mediaId", m.mediaId());
              v.put("type", m.id().type().wireName());
              v.put("size", m.meta().size());
              v.put("filename", m.meta().filename());
              v.put("contentType", m.meta().contentType());
              v.put("createdAt", Instant.ofEpochSecond(m.id().createdAt()).toString());
              v.put(
                  "expiresAt",
                  Instant.ofEpochSecond(m.id().createdAt() + MediaId.LIFETIME_SECONDS)
                      .toString());
              return v;
            })
            .toList());
  }

  Map<String, Object> purge(AdminCall call) throws Exception {
    App app = app(call);
    try {
      if (!media.purge(app, call.path("mediaId"))) {
        throw AdminError.notFound("media " + call.path("mediaId") + " is already gone");
      }
      purged.run();
    } catch (WeChatException e) {
      throw AdminError.notFound(e.diagnosis());
    }
    return Map.of("purged", true);
  }

  /** The console's upload: refusals carry their diagnosis in the body, so the page can show it at once. */
  void upload(AdminCall call) {
    onBehalf(call, (ex, app) -> mediaRoutes.uploadAs(ex, app), Responder::errorWithDiagnosis);
  }

  /** A voice as wx.uploadVoice makes it, from an audio file: {@code {"serverId": media_id}}. */
  void jssdkVoice(AdminCall call) {
    onBehalf(call, (ex, app) -> mediaRoutes.jssdkVoiceAs(ex, app), Responder::errorWithDiagnosis);
  }

  void download(AdminCall call) {
    onBehalf(
        call, (ex, app) -> mediaRoutes.sendAs(ex, app, call.path("mediaId")), Responder::error);
  }

  private interface AppAction {
    Future<Reply> run(Exchange ex, App app) throws Exception;
  }

  /**
   * Runs a WeChat media action as the named app: an exchange like the API's own (the inspector and
   * metrics see it), the app as its caller instead of a token's.
   */
  private void onBehalf(AdminCall call, AppAction action, WeChatRoute.ErrorWriter errors) {
    App app;
    try {
      app = app(call);
    } catch (AdminError e) {
      OperatorRoutes.fail(call.request(), e);
      return;
    }
    Exchange ex = exchanges.begin(call.request());
    ex.caller(app.id(), app.product());
    Exchanges.run(ex, e -> action.run(e, app), errors);
  }

  private App app(AdminCall call) {
    String id = call.requiredQuery("appid");
    return apps.find(id).orElseThrow(() -> AdminError.notFound("no app " + id));
  }
}
