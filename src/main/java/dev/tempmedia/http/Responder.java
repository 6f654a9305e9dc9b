package dev.tempmedia.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tempmedia.io.Json;
import dev.tempmedia.wechat.CloudCallShape;
import dev.tempmedia.wechat.Dialect;
import dev.tempmedia.wechat.ErrorCode;
import dev.tempmedia.wechat.WeChatException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place that writes JSON answers and WeChat errors (SPEC §6). */
public final class Responder {
  /** WeChat's own content type: note "encoding", not "charset". */
  public static final String WECHAT_JSON = "application/json; encoding=utf-8";

  private static final Logger LOG = LoggerFactory.getLogger(Responder.class);
  private static final ObjectMapper JSON = Json.MAPPER;
  /** The largest JSON answer the inspector keeps for rid/get; a larger one is kept as its size. */
  static final int MAX_KEPT_BODY = 4096;

  private Responder() {}

  public static void json(Exchange ex, int status, Object body) {
    HttpServerResponse response = ex.request().response();
    if (response.ended() || response.closed()) {
      return;
    }
    byte[] bytes;
    try {
      bytes = JSON.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a reply", e);
    }
    if (ex.tokenAccepted() && bytes.length <= MAX_KEPT_BODY) {
      ex.responseBody(bytes);
    }
    bytes(ex, status, WECHAT_JSON, bytes);
  }

  /** Writes a whole answer of {@code contentType}; closes the connection after it when the exchange must. */
  static void bytes(Exchange ex, int status, String contentType, byte[] bytes) {
    HttpServerResponse response = ex.request().response();
    if (response.ended() || response.closed()) {
      return;
    }
    response
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, contentType)
        .putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(bytes.length));
    if (ex.closesAfterResponse()) {
      // Vert.x keeps a connection whose request body is unread open; this one must end with the
      // answer.
      response.putHeader(HttpHeaders.CONNECTION, "close");
      response
          .end(Buffer.buffer(bytes))
          .onComplete(v -> ex.request().connection().close());
    } else {
      response.end(Buffer.buffer(bytes));
    }
  }

  /** Answers any failure as a WeChat error: refusals as themselves, anything unexpected as -1. */
  public static void error(Exchange ex, Throwable failure) {
    error(ex, failure, false);
  }

  /**
   * The WeChat error with its diagnosis in the body too: for the operator's own uploads (the console
   * shows why at once). Never on the WeChat API, whose clients expect exactly errcode and errmsg.
   */
  public static void errorWithDiagnosis(Exchange ex, Throwable failure) {
    error(ex, failure, true);
  }

  private static void error(Exchange ex, Throwable failure, boolean withDiagnosis) {
    WeChatException refusal = failure instanceof WeChatException w ? w : unexpected(ex, failure);
    Dialect dialect = refusal.product().map(Dialect::of).orElse(ex.dialect());
    ErrorCode code = refusal.error();
    String errmsg = dialect.errmsg(code, ex.id(), ex.clientIp());
    ex.outcome(code.code(), errmsg, refusal.diagnosis());
    HttpServerResponse response = ex.request().response();
    if (response.ended() || response.closed()) {
      return;
    }
    if (response.headWritten()) {
      // Bytes of a download are already on the wire: the only honest signal left is a broken
      // connection.
      response.reset();
      return;
    }
    response.headers().clear();
    for (Map.Entry<String, String> h : dialect.errorHeaders(code, errmsg).entrySet()) {
      response.putHeader(h.getKey(), h.getValue());
    }
    endUnreadBody(ex);
    Map<String, Object> body = dialect.errorBody(code.code(), errmsg);
    if (withDiagnosis) {
      body = new java.util.LinkedHashMap<>(body);
      body.put("diagnosis", refusal.diagnosis());
    }
    json(ex, 200, body);
  }

  /**
   * An answer given before the body was read: a client waiting for "100 Continue" will not send the
   * body, so the connection closes after the answer; any other client's body is read and dropped.
   */
  static void endUnreadBody(Exchange ex) {
    if (ex.request().isEnded()) {
      return;
    }
    if (ex.expectsContinue() && !ex.continueSent()) {
      ex.closeAfterResponse();
    } else {
      Bodies.discardRest(ex.request());
    }
  }

  /**
   * A failure of a cloud-call endpoint (SPEC §5):
   * {@code {"errCode":N,"errMsg":"openapi.…:fail <WeChat text> rid: …"}}.
   */
  public static void cloudCallError(
      Exchange ex, CloudCallShape shape, String api, Throwable failure) {
    WeChatException refusal = failure instanceof WeChatException w ? w : unexpected(ex, failure);
    ErrorCode code = refusal.error();
    String errmsg = shape.errmsg(api, code, ex.id(), ex.clientIp());
    ex.outcome(code.code(), errmsg, refusal.diagnosis());
    HttpServerResponse response = ex.request().response();
    if (response.ended() || response.closed()) {
      return;
    }
    endUnreadBody(ex);
    json(ex, 200, shape.errorBody(code.code(), errmsg));
  }

  /** 404 with an empty body, as WeChat answers a path it does not serve. */
  public static void notFound(Exchange ex) {
    ex.outcome(
        0, null, "no route for " + ex.request().method() + " " + ex.request().path());
    ex.request()
        .response()
        .setStatusCode(404)
        .putHeader(HttpHeaders.CONTENT_LENGTH, "0")
        .end();
  }

  static WeChatException unexpected(Exchange ex, Throwable failure) {
    LOG.error("rid={} failed unexpectedly", ex.id().rid(), failure);
    return new WeChatException(ErrorCode.SYSTEM_ERROR, "internal failure: " + failure);
  }
}
