package dev.tempmedia.http;

import dev.tempmedia.auth.App;
import dev.tempmedia.http.semantics.ContentDisposition;
import dev.tempmedia.media.MediaService;
import dev.tempmedia.media.multipart.Boundary;
import dev.tempmedia.media.multipart.MultipartException;
import dev.tempmedia.media.multipart.MultipartParser;
import dev.tempmedia.media.multipart.PartHeaders;
import dev.tempmedia.media.rules.MediaRule;
import dev.tempmedia.media.rules.RuleBook;
import dev.tempmedia.wechat.ErrorCode;
import dev.tempmedia.wechat.WeChatException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * An upload whose {@code access_token} and {@code type} travel as form fields instead of in the query,
 * as weixin-popular's {@code MediaAPI.mediaUpload} sends them (the file part first, the two fields
 * after it; weixin-popular 2.8.32 MediaAPI.java:60-70). WeChat accepts that, so tempmedia does too.
 * The app, and so the rule, is known only when the body has ended: the file part is spooled to a
 * temporary file on the way (Vert.x's {@link AsyncFile}, with backpressure, never more than a chunk
 * in memory), then, once the token is checked, taken through the same upload pipeline as any other
 * upload. The body is capped at the largest upload any rule allows.
 */
final class FormCredentialUpload {
  /** The most bytes a text field (the token, the type) may have. */
  static final int MAX_FIELD_BYTES = 1024;

  private final Vertx vertx;
  private final Callers callers;
  private final MediaService media;

  FormCredentialUpload(Vertx vertx, Callers callers, MediaService media) {
    this.vertx = vertx;
    this.callers = callers;
    this.media = media;
  }

  /** Whether {@code ex} is such an upload: no token in the query, and a form that may carry one. */
  static boolean applies(Exchange ex) {
    String token = ex.param("access_token");
    return (token == null || token.isEmpty())
        && Boundary.of(ex.request().getHeader("Content-Type")).isPresent();
  }

  Future<Reply> upload(Exchange ex) {
    HttpServerRequest request = ex.request();
    long cap = media.rules().hardCapBytes() + RuleBook.MULTIPART_ALLOWANCE;
    if (Bodies.declaredLength(request) > cap) {
      throw new WeChatException(
          ErrorCode.MEDIA_SIZE_OUT_OF_LIMIT,
          "Content-Length " + Bodies.declaredLength(request) + " is over the server's cap of " + cap
              + " bytes for any upload");
    }
    String boundary = Boundary.of(request.getHeader("Content-Type")).orElseThrow();
    request.pause();
    return vertx
        .fileSystem()
        .createTempFile("tempmedia-form-", ".part")
        .compose(path -> vertx
            .fileSystem()
            .open(path, new OpenOptions().setWrite(true))
            .compose(file -> spool(ex, boundary, cap, Path.of(path), file))
            .compose(spooled -> store(ex, spooled))
            .eventually(
                () -> vertx.fileSystem().delete(path).recover(e -> Future.succeededFuture())));
  }

  /** The form's fields and where its file was spooled to. */
  private record Spooled(
      Map<String, String> fields, String filename, boolean hasMedia, Path file) {}

  private Future<Spooled> spool(Exchange ex, String boundary, long cap, Path path, AsyncFile file) {
    HttpServerRequest request = ex.request();
    Promise<Spooled> done = Promise.promise();
    Map<String, String> fields = new HashMap<>();
    String[] filename = {""};
    boolean[] sawMedia = {false};
    long[] received = {0};
    MultipartParser parser = new MultipartParser(boundary, new MultipartParser.Listener() {
      private String field;
      private java.io.ByteArrayOutputStream text;

      @Override
      public void partBegin(PartHeaders headers) {
        String disposition = headers.get("content-disposition").orElse(null);
        field = ContentDisposition.parseName(disposition).orElse("");
        if (field.equals("media")) {
          if (sawMedia[0]) {
            throw new WeChatException(
                ErrorCode.DATA_FORMAT_ERROR,
                "the form has two parts named \"media\"; send exactly one file");
          }
          sawMedia[0] = true;
          filename[0] = ContentDisposition.parseFilename(disposition).orElse("");
          text = null;
        } else {
          text = new java.io.ByteArrayOutputStream();
        }
      }

      @Override
      public void partData(ByteBuffer data) {
        if (text == null) {
          byte[] copy = new byte[data.remaining()];
          data.get(copy);
          file.write(Buffer.buffer(copy));
          return;
        }
        if (text.size() + data.remaining() > MAX_FIELD_BYTES) {
          throw new WeChatException(
              ErrorCode.DATA_FORMAT_ERROR,
              "the form field \"" + field + "\" is over " + MAX_FIELD_BYTES + " bytes");
        }
        byte[] copy = new byte[data.remaining()];
        data.get(copy);
        text.writeBytes(copy);
      }

      @Override
      public void partEnd() {
        if (text != null && (field.equals("access_token") || field.equals("type"))) {
          fields.put(field, text.toString(StandardCharsets.UTF_8).trim());
        }
        text = null;
      }
    });
    PromptPause backpressure = new PromptPause(request);
    request.handler(chunk -> {
      if (done.future().isComplete()) {
        return;
      }
      try {
        received[0] += chunk.length();
        if (received[0] > cap) {
          throw new WeChatException(
              ErrorCode.MEDIA_SIZE_OUT_OF_LIMIT,
              "the body passed " + cap + " bytes, the server's cap for any upload");
        }
        for (ByteBuffer view : Bodies.views(chunk)) {
          parser.feed(view);
        }
        if (file.writeQueueFull()) {
          backpressure.pause();
          file.drainHandler(v -> backpressure.resume());
        }
      } catch (Exception e) {
        done.tryFail(refusal(e));
      }
    });
    request.exceptionHandler(e -> done.tryFail(new WeChatException(
        ErrorCode.MEDIA_DATA_MISSING, "the request body could not be read: " + e.getMessage())));
    request.endHandler(v -> {
      if (done.future().isComplete()) {
        return;
      }
      try {
        parser.end();
      } catch (Exception e) {
        done.tryFail(refusal(e));
        return;
      }
      file.close()
          .onComplete(closed ->
              done.tryComplete(new Spooled(Map.copyOf(fields), filename[0], sawMedia[0], path)));
    });
    ex.sendContinue();
    request.resume();
    return done.future().onFailure(e -> file.close());
  }

  /** The token of the form, then the app's rule for its type, then the spooled file through the pipeline. */
  private Future<Reply> store(Exchange ex, Spooled spooled) {
    String token = spooled.fields().get("access_token");
    return callers.authenticated(ex, token).compose(app -> {
      String type = spooled.fields().getOrDefault("type", ex.param("type"));
      MediaRule rule = media.ruleFor(app, type);
      if (!spooled.hasMedia()) {
        throw new WeChatException(
            ErrorCode.MEDIA_DATA_MISSING,
            app.product(),
            "the form has no part named \"media\" (the file field must be called media)");
      }
      return vertx.executeBlocking(() -> commit(app, rule, spooled), false);
    });
  }

  private Reply commit(App app, MediaRule rule, Spooled spooled) {
    MediaService.StoredMedia stored;
    try (InputStream in = Files.newInputStream(spooled.file())) {
      stored = media.store(app, rule, spooled.filename(), in);
    } catch (IOException e) {
      throw new WeChatException(
          ErrorCode.SYSTEM_ERROR,
          app.product(),
          "the upload could not be stored: " + e.getMessage());
    }
    return Reply.json(app.dialect()
        .uploadBody(rule.type().wireName(), stored.mediaId(), stored.id().createdAt()));
  }

  private static Throwable refusal(Exception e) {
    if (e instanceof MultipartException m) {
      return new WeChatException(
          ErrorCode.MEDIA_DATA_MISSING, "the multipart body is broken: " + m.getMessage());
    }
    return e;
  }
}
