package dev.tempmedia.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.tempmedia.auth.App;
import dev.tempmedia.media.MediaId;
import dev.tempmedia.media.MediaService;
import dev.tempmedia.media.rules.MediaRule;
import dev.tempmedia.outbox.MessageSender;
import dev.tempmedia.outbox.SnakeCase;
import dev.tempmedia.storage.Blob;
import dev.tempmedia.wechat.ErrorCode;
import dev.tempmedia.wechat.WeChatException;
import dev.tempmedia.wechat.messages.MessageChannel;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Base64;
import java.util.Map;

/**
 * The cloud-call (云调用) shapes of temporary media for mini programs (SPEC §5): the file travels inside
 * JSON, as base64 or as a JSON-serialised Node Buffer, and answers are camelCase. The JSON body is held
 * in memory up to {@link #MAX_UPLOAD_BODY} (a Node Buffer spends about four characters per byte); the
 * file itself then takes the same path into storage as a multipart upload.
 */
public final class CloudCallRoutes {
  static final String UPLOAD_API = "openapi.customerServiceMessage.uploadTempMedia";
  static final String GET_API = "openapi.customerServiceMessage.getTempMedia";
  static final String SEND_API = "openapi.customerServiceMessage.send";
  static final int MAX_UPLOAD_BODY = 48 * 1024 * 1024;
  private static final int MAX_GET_BODY = 16 * 1024;
  private static final JsonFactory JSON = new JsonFactory();

  private final Vertx vertx;
  private final Callers callers;
  private final MediaService media;
  private final MessageSender messages;

  /** @param messages the outbox's sender, or null where there is no outbox (prod) */
  public CloudCallRoutes(Vertx vertx, Callers callers, MediaService media, MessageSender messages) {
    this.vertx = vertx;
    this.callers = callers;
    this.media = media;
    this.messages = messages;
  }

  /**
   * {@code customerServiceMessage.send} (SPEC §10): the camelCase message ({@code image: {mediaId}}),
   * checked and kept like {@code message/custom/send}'s once its keys are WeChat's.
   */
  Future<Reply> send(Exchange ex) {
    return Stages.paused(
        ex,
        miniProgram(ex),
        app -> JsonBodies.read(ex.request(), MessageRoutes.MAX_MESSAGE_BODY)
            .compose(body -> vertx.executeBlocking(
                () -> {
                  messages.send(
                      app,
                      MessageChannel.CUSTOMER_SERVICE,
                      ex.endpoint(),
                      ex.id().rid(),
                      SnakeCase.keys(body));
                  return Reply.json(ok(app, SEND_API));
                },
                false)));
  }

  Future<Reply> upload(Exchange ex) {
    return Stages.paused(ex, miniProgram(ex), app -> upload(ex, app));
  }

  private Future<Reply> upload(Exchange ex, App app) {
    ex.sendContinue();
    return readBody(ex, MAX_UPLOAD_BODY)
        .compose(body -> vertx.executeBlocking(
            () -> {
              UploadRequest parsed = UploadRequest.parse(body, app);
              Stored stored = store(media, app, parsed.type(), "", parsed.bytes());
              Map<String, Object> answer = ok(app, UPLOAD_API);
              answer.put("type", stored.type());
              answer.put("mediaId", stored.mediaId());
              answer.put("createdAt", stored.createdAt());
              return Reply.json(answer);
            },
            false));
  }

  /** A file stored as a temporary media of {@code app}, and how the answer names it. */
  record Stored(String type, String mediaId, long createdAt) {}

  /**
   * Stores a whole file that arrived inside a cloud call (JSON here, protobuf on {@code /tcb/admin}) the
   * way {@code media/upload} stores a multipart one: the type's rule, limits, format detection from the
   * bytes, digest, durable commit. Blocking: for a worker.
   */
  static Stored store(MediaService media, App app, String type, String filename, byte[] bytes)
      throws IOException {
    MediaRule rule = media.ruleFor(app, type);
    MediaService.StoredMedia stored;
    try {
      stored = media.store(app, rule, filename, new java.io.ByteArrayInputStream(bytes));
    } catch (IOException e) {
      throw new WeChatException(
          ErrorCode.SYSTEM_ERROR,
          app.product(),
          "the upload could not be stored: " + e.getMessage());
    }
    return new Stored(rule.type().wireName(), stored.mediaId(), stored.id().createdAt());
  }

  /** A media's bytes and content type. */
  record Fetched(String contentType, byte[] bytes) {}

  /** Reads a whole media of {@code app} (checked like a download: signature, domain, expiry). Blocking. */
  static Fetched fetch(MediaService media, App app, String mediaId) throws IOException {
    MediaId id = media.authorize(app, mediaId);
    Blob blob = media.open(app, id);
    try (InputStream in = blob.openRange(0, blob.meta().size())) {
      return new Fetched(blob.meta().contentType(), in.readAllBytes());
    }
  }

  Future<Reply> get(Exchange ex) {
    return Stages.paused(ex, miniProgram(ex), app -> get(ex, app));
  }

  private Future<Reply> get(Exchange ex, App app) {
    return readBody(ex, MAX_GET_BODY)
        .compose(body -> vertx.executeBlocking(
            () -> {
              String mediaId = GetRequest.mediaId(body, app);
              Fetched fetched = fetch(media, app, mediaId);
              Map<String, Object> answer = ok(app, GET_API);
              answer.put("contentType", fetched.contentType());
              answer.put("buffer", Base64.getEncoder().encodeToString(fetched.bytes()));
              return Reply.json(answer);
            },
            false));
  }

  private Future<App> miniProgram(Exchange ex) {
    return callers.authenticated(ex).map(app -> {
      if (app.product().profile().cloudCall().isEmpty()) {
        throw new WeChatException(
            ErrorCode.INVALID_CREDENTIAL,
            app.product(),
            "the cloud-call endpoints serve" + " mini-program apps; " + app.id() + " is "
                + app.product().wireName() + ": use /cgi-bin/media/*");
      }
      return app;
    });
  }

  private static Map<String, Object> ok(App app, String api) {
    return app.product().profile().cloudCall().orElseThrow().ok(api);
  }

  private static Future<Buffer> readBody(Exchange ex, int max) {
    if (Bodies.declaredLength(ex.request()) > max) {
      return Future.failedFuture(new WeChatException(
          ErrorCode.MEDIA_SIZE_OUT_OF_LIMIT, "the JSON body is over " + max + " bytes"));
    }
    Promise<Buffer> promise = Promise.promise();
    Buffer body = Buffer.buffer();
    ex.request().handler(chunk -> {
      if (promise.future().isComplete()) {
        return;
      }
      if (body.length() + chunk.length() > max) {
        promise.tryFail(new WeChatException(
            ErrorCode.MEDIA_SIZE_OUT_OF_LIMIT, "the JSON body passed " + max + " bytes"));
        return;
      }
      body.appendBuffer(chunk);
    });
    // A body that is not valid HTTP (a broken chunk size) is the client's error, not a system
    // error.
    ex.request()
        .exceptionHandler(e -> promise.tryFail(new WeChatException(
            ErrorCode.DATA_FORMAT_ERROR, "the request body could not be read: " + e.getMessage())));
    ex.request().endHandler(v -> promise.tryComplete(body));
    return promise.future();
  }

  /** {@code {"type":…,"media":{"contentType":…,"value":<base64 | Node Buffer>}}}, read as a stream of tokens. */
  record UploadRequest(String type, byte[] bytes) {
    static UploadRequest parse(Buffer body, App app) throws IOException {
      String type = null;
      byte[] bytes = null;
      try (JsonParser p = JSON.createParser(body.getBytes())) {
        expect(p.nextToken() == JsonToken.START_OBJECT, "the body is not a JSON object", app);
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String field = p.currentName();
          JsonToken value = p.nextToken();
          if (field.equals("type") && value == JsonToken.VALUE_STRING) {
            type = p.getText();
          } else if (field.equals("media") && value == JsonToken.START_OBJECT) {
            bytes = media(p, app);
          } else {
            p.skipChildren();
          }
        }
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new WeChatException(
            ErrorCode.DATA_FORMAT_ERROR,
            app.product(),
            "the body is not valid JSON: " + e.getOriginalMessage());
      }
      if (bytes == null) {
        throw new WeChatException(
            ErrorCode.MEDIA_DATA_MISSING,
            app.product(),
            "the body has no media.value (base64 text or a Node Buffer)");
      }
      return new UploadRequest(type, bytes);
    }

    private static byte[] media(JsonParser p, App app) throws IOException {
      byte[] bytes = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if (field.equals("value") && value == JsonToken.VALUE_STRING) {
          try {
            bytes = Base64.getMimeDecoder().decode(p.getText());
          } catch (IllegalArgumentException e) {
            throw new WeChatException(
                ErrorCode.DATA_FORMAT_ERROR,
                app.product(),
                "media.value is not base64: " + e.getMessage());
          }
        } else if (field.equals("value") && value == JsonToken.START_OBJECT) {
          bytes = nodeBuffer(p, app);
        } else {
          p.skipChildren();
        }
      }
      return bytes;
    }

    /** {@code {"type":"Buffer","data":[255,216,…]}}, what JSON.stringify makes of a Node Buffer. */
    private static byte[] nodeBuffer(JsonParser p, App app) throws IOException {
      ByteArrayOutputStream out = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if (field.equals("data") && value == JsonToken.START_ARRAY) {
          out = new ByteArrayOutputStream();
          while (p.nextToken() == JsonToken.VALUE_NUMBER_INT) {
            int b = p.getIntValue();
            expect(b >= 0 && b <= 255, "media.value.data holds " + b + ", not a byte (0-255)", app);
            out.write(b);
          }
          expect(
              p.currentToken() == JsonToken.END_ARRAY,
              "media.value.data must hold only numbers 0-255",
              app);
        } else {
          p.skipChildren();
        }
      }
      expect(
          out != null,
          "media.value is an object without a data array (a Node Buffer has one)",
          app);
      return out.toByteArray();
    }
  }

  /** {@code {"mediaId":"…"}}. */
  static final class GetRequest {
    static String mediaId(Buffer body, App app) throws IOException {
      try (JsonParser p = JSON.createParser(body.getBytes())) {
        expect(p.nextToken() == JsonToken.START_OBJECT, "the body is not a JSON object", app);
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String field = p.currentName();
          JsonToken value = p.nextToken();
          if (field.equals("mediaId") && value == JsonToken.VALUE_STRING) {
            return p.getText();
          }
          p.skipChildren();
        }
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new WeChatException(
            ErrorCode.DATA_FORMAT_ERROR,
            app.product(),
            "the body is not valid JSON: " + e.getOriginalMessage());
      }
      return null;
    }
  }

  private static void expect(boolean condition, String diagnosis, App app) {
    if (!condition) {
      throw new WeChatException(ErrorCode.DATA_FORMAT_ERROR, app.product(), diagnosis);
    }
  }
}
