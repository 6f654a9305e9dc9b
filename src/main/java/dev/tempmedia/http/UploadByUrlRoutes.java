package dev.tempmedia.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tempmedia.auth.App;
import dev.tempmedia.media.MediaService;
import dev.tempmedia.media.byurl.UploadByUrlService;
import dev.tempmedia.media.rules.MediaRule;
import dev.tempmedia.media.rules.MediaType;
import dev.tempmedia.wechat.ErrorCode;
import dev.tempmedia.wechat.WeChatException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/** WeCom's {@code upload_by_url} and {@code get_upload_by_url_result} (SPEC §12): the wire; jobs run in {@link UploadByUrlService}. */
public final class UploadByUrlRoutes {
  private static final int MAX_BODY = 16 * 1024;
  private static final Pattern MD5 = Pattern.compile("[0-9A-Fa-f]{32}");

  private final Vertx vertx;
  private final Callers callers;
  private final MediaService media;
  private final UploadByUrlService jobs;

  public UploadByUrlRoutes(
      Vertx vertx, Callers callers, MediaService media, UploadByUrlService jobs) {
    this.vertx = vertx;
    this.callers = callers;
    this.media = media;
    this.jobs = jobs;
  }

  /** {@code {"scene":1,"type":"video"|"file","filename","url","md5"}} → a job id. */
  Future<Reply> submit(Exchange ex) {
    return Stages.paused(
        ex,
        corp(ex),
        app -> JsonBodies.read(ex.request(), MAX_BODY)
            .compose(body -> {
              UploadByUrlService.Request request = request(body, app);
              return vertx.executeBlocking(() -> jobs.submit(app, request), false);
            })
            .map(jobId -> {
              Map<String, Object> answer = ok();
              answer.put("jobid", jobId);
              return Reply.json(answer);
            }));
  }

  /** {@code {"jobid"}} → status 1 running, 2 done (media_id, created_at as a string), 3 failed (detail errcode). */
  Future<Reply> result(Exchange ex) {
    return Stages.paused(
        ex,
        corp(ex),
        app -> JsonBodies.read(ex.request(), MAX_BODY)
            .compose(body -> {
              String jobId = text(body, "jobid", app);
              return vertx
                  .executeBlocking(() -> jobs.result(app, jobId), false)
                  .map(found -> found.orElseThrow(() -> new WeChatException(
                      ErrorCode.INVALID_PARAMETER,
                      app.product(),
                      "no upload_by_url job " + jobId + " of corp " + app.id()
                          + " (jobs are kept 3 days, and only their corp sees them)")));
            })
            .map(result -> {
              Map<String, Object> detail = new LinkedHashMap<>();
              ErrorCode code = result.errcode() == 0 ? null : ErrorCode.fromCode(result.errcode());
              detail.put("errcode", result.errcode());
              detail.put("errmsg", code == null ? "ok" : code.wecomText());
              if (!result.mediaId().isEmpty()) {
                detail.put("media_id", result.mediaId());
                detail.put("created_at", Long.toString(result.createdAt()));
              }
              Map<String, Object> answer = ok();
              answer.put("status", result.status());
              answer.put("detail", detail);
              return Reply.json(answer);
            }));
  }

  private UploadByUrlService.Request request(JsonNode body, App app) {
    JsonNode scene = body.get("scene");
    if (scene == null || !scene.canConvertToInt() || scene.asInt() != 1) {
      throw new WeChatException(
          ErrorCode.INVALID_PARAMETER,
          app.product(),
          "scene must be 1 (customer contact); it was " + (scene == null ? "missing" : scene));
    }
    String typeName = text(body, "type", app);
    Map<MediaType, MediaRule> rules = media.endpoints(app).byUrl();
    MediaType type = MediaType.byWireName(typeName)
        .filter(rules::containsKey)
        .orElseThrow(() -> new WeChatException(
            ErrorCode.INVALID_MEDIA_TYPE,
            app.product(),
            "type=" + typeName + " cannot be fetched by url; it takes "
                + rules.keySet().stream().map(MediaType::wireName).sorted().toList()));
    String md5 = text(body, "md5", app);
    if (!MD5.matcher(md5).matches()) {
      throw new WeChatException(
          ErrorCode.INVALID_PARAMETER,
          app.product(),
          "md5 must be the file's MD5 in 32 hex digits; it was \"" + md5 + "\"");
    }
    return new UploadByUrlService.Request(
        type, text(body, "filename", app), text(body, "url", app), md5);
  }

  private static String text(JsonNode body, String field, App app) {
    JsonNode v = body.get(field);
    if (v == null || !v.isTextual() || v.asText().isEmpty()) {
      throw new WeChatException(
          ErrorCode.INVALID_PARAMETER,
          app.product(),
          field + " is missing or not a non-empty string");
    }
    return v.asText();
  }

  private Future<App> corp(Exchange ex) {
    return callers.authenticated(ex).map(app -> {
      if (media.endpoints(app).byUrl().isEmpty()) {
        throw new WeChatException(
            ErrorCode.API_UNAUTHORIZED,
            app.product(),
            "upload_by_url is not an endpoint of " + app.product().wireName() + " apps");
      }
      return app;
    });
  }

  private static Map<String, Object> ok() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("errcode", 0);
    body.put("errmsg", "ok");
    return body;
  }
}
