package dev.tempmedia.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.tempmedia.auth.App;
import dev.tempmedia.auth.AppRegistry;
import dev.tempmedia.clock.ServerClock;
import dev.tempmedia.cloud.GatewayException;
import dev.tempmedia.cloud.OpenApiCall;
import dev.tempmedia.cloud.Tc3Signature;
import dev.tempmedia.cloud.TcbForm;
import dev.tempmedia.cloud.proto.CommOpenApiResp;
import dev.tempmedia.cloud.proto.KeyValuePair;
import dev.tempmedia.config.TempmediaConfig;
import dev.tempmedia.io.Json;
import dev.tempmedia.media.MediaService;
import dev.tempmedia.media.multipart.Boundary;
import dev.tempmedia.media.multipart.MultipartParser;
import dev.tempmedia.outbox.MessageSender;
import dev.tempmedia.wechat.Dialect;
import dev.tempmedia.wechat.ErrorCode;
import dev.tempmedia.wechat.Product;
import dev.tempmedia.wechat.WeChatException;
import dev.tempmedia.wechat.messages.MessageChannel;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The TCB gateway of cloud functions, {@code POST /tcb/admin} (SPEC §9): what {@code wx-server-sdk}'s
 * {@code cloud.openapi.customerServiceMessage.uploadTempMedia/getTempMedia} reach through
 * {@code @cloudbase/node-sdk}, unchanged. The form is read as it arrives and capped at
 * {@link #MAX_BODY}; the signature (prod), the protobuf {@code CommApiData} and the call then run on a
 * worker, and the file takes the same path into storage as {@code media/upload}
 * ({@link CloudCallRoutes#store}). Answers are a protobuf {@code CommOpenApiResp} holding WeChat's
 * answer (JSON, or the file's bytes); a refusal of the gateway itself is its JSON error.
 */
public final class TcbGatewayRoutes {
  public static final String UPLOAD_TEMP_MEDIA = "customerServiceMessage.uploadTempMedia";
  public static final String GET_TEMP_MEDIA = "customerServiceMessage.getTempMedia";
  /** A customer-service message (SPEC §10), served where there is an outbox (dev mode). */
  public static final String SEND = "customerServiceMessage.send";
  /** The most a request may carry: a mini program's largest media (10 MiB) twice over, with its form. */
  static final long MAX_BODY = 24L * 1024 * 1024;
  /** Exactly what {@code @cloudbase/node-sdk} takes for a gateway error (handleWxOpenApiData). */
  static final String GATEWAY_JSON = "application/json; charset=utf-8";

  private static final ObjectMapper JSON = Json.MAPPER;

  private final Vertx vertx;
  private final MediaService media;
  private final AppRegistry apps;
  private final ServerClock clock;
  private final TempmediaConfig.Cloud cloud;
  private final boolean devMode;
  private final MessageSender messages;

  /** @param messages the outbox's sender, or null where there is no outbox (prod) */
  public TcbGatewayRoutes(
      Vertx vertx,
      MediaService media,
      AppRegistry apps,
      ServerClock clock,
      TempmediaConfig.Cloud cloud,
      boolean devMode,
      MessageSender messages) {
    this.messages = messages;
    this.vertx = vertx;
    this.media = media;
    this.apps = apps;
    this.clock = clock;
    this.cloud = cloud == null ? new TempmediaConfig.Cloud(null, null, Map.of()) : cloud;
    this.devMode = devMode;
  }

  Future<Reply> admin(Exchange ex) {
    if (Bodies.declaredLength(ex.request()) > MAX_BODY) {
      return Future.failedFuture(TcbForm.tooLarge(MAX_BODY));
    }
    String boundary = Boundary.of(ex.request().getHeader("Content-Type")).orElse(null);
    if (boundary == null) {
      return Future.failedFuture(new GatewayException(
          GatewayException.INVALID_PARAM,
          "the request is not multipart/form-data with a boundary; wx.openApi calls are"));
    }
    TcbForm form = new TcbForm(MAX_BODY);
    MultipartParser parser = form.parser(boundary);
    ex.sendContinue();
    return read(ex, parser)
        .compose(v -> vertx.executeBlocking(() -> checked(ex, form), false))
        .compose(
            call -> Stages.onLoop(apps.lookup(appIdOf(call))).map(app -> actingApp(ex, call, app)))
        .compose(acting -> vertx.executeBlocking(() -> call(ex, acting), false));
  }

  private static Future<Void> read(Exchange ex, MultipartParser parser) {
    Promise<Void> done = Promise.promise();
    long[] received = {0};
    ex.request().handler(chunk -> {
      if (done.future().isComplete()) {
        return;
      }
      try {
        received[0] += chunk.length();
        if (received[0] > MAX_BODY) {
          throw TcbForm.tooLarge(MAX_BODY);
        }
        for (java.nio.ByteBuffer view : Bodies.views(chunk)) {
          parser.feed(view);
        }
      } catch (Exception e) {
        done.tryFail(TcbForm.unreadable(e));
      }
    });
    ex.request()
        .exceptionHandler(e -> done.tryFail(new GatewayException(
            GatewayException.INVALID_PARAM,
            "the request body could not be read: " + e.getMessage())));
    ex.request().endHandler(v -> {
      try {
        parser.end();
        done.tryComplete();
      } catch (Exception e) {
        done.tryFail(TcbForm.unreadable(e));
      }
    });
    return done.future();
  }

  /** The signature (prod), then the call the form carries. */
  private OpenApiCall checked(Exchange ex, TcbForm form) {
    if (!devMode) {
      if (blank(cloud.secretId()) || blank(cloud.secretKey())) {
        throw new GatewayException(
            GatewayException.SIGN_PARAM_INVALID,
            "this server has no cloud.secretId/cloud.secretKey to verify signatures with (prod mode)");
      }
      var request = ex.request();
      Tc3Signature.verify(
          new Tc3Signature.Request(
              request.method().name(),
              request.getHeader("Host"),
              request.path(),
              request.query(),
              request::getHeader,
              form),
          cloud.secretId(),
          cloud.secretKey(),
          Math.floorDiv(clock.baseClock().millis(), 1000));
    }
    return OpenApiCall.decode(form, ex.param("env"));
  }

  /** {@code cloud.openapi({appid})}'s app, else the env's: {@code cloud.envs}, or in dev mode the well-known mini program. */
  private String appIdOf(OpenApiCall call) {
    if (!call.appid().isEmpty()) {
      return call.appid();
    }
    String mapped = cloud.envs().get(call.envName());
    if (mapped != null) {
      return mapped;
    }
    if (!devMode) {
      throw new GatewayException(
          GatewayException.INVALID_ENV,
          "env '" + call.envName() + "' is not in cloud.envs; map it to a "
              + cloudCaller().wireName() + " appid");
    }
    return cloudCaller().profile().wellKnownApp().id();
  }

  /** The product whose apps cloud functions belong to: the one whose profile has a cloud-call shape. */
  private static Product cloudCaller() {
    return Arrays.stream(Product.values())
        .filter(p -> p.profile().cloudCall().isPresent())
        .findFirst()
        .orElseThrow();
  }

  private record Acting(OpenApiCall call, App app) {}

  private static Acting actingApp(Exchange ex, OpenApiCall call, Optional<App> found) {
    Product caller = cloudCaller();
    String named = call.appid().isEmpty()
        ? "env '" + call.envName() + "' acts for"
        : "cloud.openapi({appid}) names";
    App app = found.orElseThrow(() -> new WeChatException(
        ErrorCode.INVALID_APPID,
        caller,
        named + " " + appIdOrEnv(call) + ", which is not an app of this server"
            + " (GET /_tempmedia/apps lists them)"));
    ex.caller(app.id(), app.product());
    if (app.product().profile().cloudCall().isEmpty()) {
      throw new WeChatException(
          ErrorCode.INVALID_APPID,
          caller,
          named + " " + app.id() + ", a " + app.product().wireName() + " app; cloud calls act for "
              + caller.wireName() + " apps");
    }
    return new Acting(call, app);
  }

  private static String appIdOrEnv(OpenApiCall call) {
    return call.appid().isEmpty() ? "an app" : call.appid();
  }

  private Reply call(Exchange ex, Acting acting) throws Exception {
    OpenApiCall call = acting.call();
    App app = acting.app();
    switch (call.apiName()) {
      case UPLOAD_TEMP_MEDIA -> {
        KeyValuePair file = call.media("media")
            .orElseThrow(() -> new WeChatException(
                ErrorCode.MEDIA_DATA_MISSING,
                app.product(),
                "requestData has no media parameter ({contentType, value: Buffer})"));
        CloudCallRoutes.Stored stored = CloudCallRoutes.store(
            media,
            app,
            call.text("type").orElse(null),
            file.getFilename(),
            file.getValue().toByteArray());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("errcode", 0);
        body.put("errmsg", "ok");
        body.put("type", stored.type());
        body.put("media_id", stored.mediaId());
        body.put("created_at", stored.createdAt());
        return answer(ex, json(body), "application/json; encoding=utf-8");
      }
      case GET_TEMP_MEDIA -> {
        String mediaId = call.text("media_id").orElse(null);
        CloudCallRoutes.Fetched fetched = CloudCallRoutes.fetch(media, app, mediaId);
        return answer(ex, fetched.bytes(), fetched.contentType());
      }
      case SEND -> {
        if (messages != null) {
          messages.send(
              app, MessageChannel.CUSTOMER_SERVICE, ex.endpoint(), ex.id().rid(), call.json());
          Map<String, Object> body = new LinkedHashMap<>();
          body.put("errcode", 0);
          body.put("errmsg", "ok");
          return answer(ex, json(body), "application/json; encoding=utf-8");
        }
      }
      default -> {}
    }
    throw new WeChatException(
        ErrorCode.OPENAPI_NO_PERMISSION,
        app.product(),
        call.displayName() + " is not served by tempmedia (it serves openapi." + UPLOAD_TEMP_MEDIA
            + ", openapi." + GET_TEMP_MEDIA
            + (messages != null ? " and openapi." + SEND : " and, in dev mode, openapi." + SEND)
            + ")");
  }

  private static Reply answer(Exchange ex, byte[] respData, String contentType) {
    ex.outcome(0, "ok", null);
    byte[] bytes = CommOpenApiResp.newBuilder()
        .setRespData(ByteString.copyFrom(respData))
        .setContentType(contentType)
        .setHttpCode(200)
        .build()
        .toByteArray();
    Responder.bytes(ex, 200, "application/octet-stream", bytes);
    return Reply.sent();
  }

  /** The route's error writer: the gateway's JSON for its own refusals, else WeChat's answer inside CommOpenApiResp. */
  static void error(Exchange ex, Throwable failure) {
    Responder.endUnreadBody(ex);
    if (failure instanceof GatewayException refusal) {
      ex.outcome(
          refusal.sdkCode(), refusal.code() + ": " + refusal.getMessage(), refusal.getMessage());
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("code", refusal.code());
      body.put("message", refusal.getMessage() + " rid: " + ex.id().rid());
      body.put("requestId", ex.id().rid());
      Responder.bytes(ex, 200, GATEWAY_JSON, json(body));
      return;
    }
    WeChatException refusal =
        failure instanceof WeChatException w ? w : Responder.unexpected(ex, failure);
    Dialect dialect = refusal.product().map(Dialect::of).orElse(ex.dialect());
    ErrorCode code = refusal.error();
    String errmsg = dialect.errmsg(code, ex.id(), ex.clientIp());
    ex.outcome(code.code(), errmsg, refusal.diagnosis());
    byte[] bytes = CommOpenApiResp.newBuilder()
        .setRespData(ByteString.copyFrom(json(dialect.errorBody(code.code(), errmsg))))
        .setContentType("application/json; encoding=utf-8")
        .setHttpCode(200)
        .build()
        .toByteArray();
    Responder.bytes(ex, 200, "application/octet-stream", bytes);
  }

  private static byte[] json(Object body) {
    try {
      return JSON.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a reply", e);
    }
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
