package dev.tempmedia.admin;

import dev.tempmedia.admin.OperatorRoutes.Access;
import dev.tempmedia.auth.App;
import dev.tempmedia.auth.AppRegistry;
import dev.tempmedia.http.Dispatcher;
import dev.tempmedia.http.Exchange;
import dev.tempmedia.http.MediaRoutes;
import dev.tempmedia.http.Reply;
import dev.tempmedia.http.Responder;
import dev.tempmedia.http.RouteTable;
import dev.tempmedia.media.MediaId;
import dev.tempmedia.media.MediaService;
import dev.tempmedia.wechat.WeChatException;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
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
  private final MediaRoutes wire;
  private final Dispatcher dispatcher;

  private final Runnable purged;

  /** @param purged told after each purge (the storage gauges measure again) */
  public MediaAdminRoutes(AppRegistry apps, MediaService media, MediaRoutes wire, Dispatcher dispatcher,
      Runnable purged) {
    this.apps = apps;
    this.media = media;
    this.wire = wire;
    this.dispatcher = dispatcher;
    this.purged = purged;
  }

  public void register(OperatorRoutes routes) {
    routes.json(HttpMethod.GET, "/_tempmedia/media", Access.ADMIN, this::list);
    routes.json(HttpMethod.DELETE, "/_tempmedia/media/{mediaId}", Access.ADMIN, this::purge);
    routes.raw(HttpMethod.POST, "/_tempmedia/media", Access.ADMIN, this::upload);
    routes.raw(HttpMethod.GET, "/_tempmedia/media/{mediaId}", Access.ADMIN, this::download);
  }

  private Map<String, Object> list(AdminCall call) throws Exception {
    App app = app(call);
    return Map.of("media", media.live(app).stream().map(m -> {
      Map<String, Object> v = new LinkedHashMap<>();
      v.put("mediaId", m.mediaId());
      v.put("type", m.id().type().wireName());
      v.put("size", m.meta().size());
      v.put("filename", m.meta().filename());
      v.put("contentType", m.meta().contentType());
      v.put("createdAt", Instant.ofEpochSecond(m.id().createdAt()).toString());
      v.put("expiresAt", Instant.ofEpochSecond(m.id().createdAt() + MediaId.LIFETIME_SECONDS).toString());
      return v;
    }).toList());
  }

  private Map<String, Object> purge(AdminCall call) throws Exception {
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
  private void upload(AdminCall call) {
    onBehalf(call, (ex, app) -> wire.uploadAs(ex, app), Responder::errorWithDiagnosis);
  }

  private void download(AdminCall call) {
    onBehalf(call, (ex, app) -> wire.sendAs(ex, app, call.path("mediaId")), Responder::error);
  }

  private interface AppAction {
    Future<Reply> run(Exchange ex, App app) throws Exception;
  }

  /**
   * Runs a WeChat media action as the named app: an exchange like the API's own (the inspector and
   * metrics see it), the app as its caller instead of a token's.
   */
  private void onBehalf(AdminCall call, AppAction action, RouteTable.ErrorWriter errors) {
    App app;
    try {
      app = app(call);
    } catch (AdminError e) {
      OperatorRoutes.fail(call.request(), e);
      return;
    }
    Exchange ex = dispatcher.begin(call.request());
    ex.caller(app.id(), app.product());
    Dispatcher.run(ex, e -> action.run(e, app), errors);
  }

  private App app(AdminCall call) {
    String id = call.requiredQuery("appid");
    return apps.find(id).orElseThrow(() -> AdminError.notFound("no app " + id));
  }
}
