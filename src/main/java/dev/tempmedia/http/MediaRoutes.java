package dev.tempmedia.http;

import dev.tempmedia.auth.App;
import dev.tempmedia.auth.AppRegistry;
import dev.tempmedia.clock.ServerClock;
import dev.tempmedia.http.semantics.ContentDisposition;
import dev.tempmedia.media.ContentImages;
import dev.tempmedia.media.MediaId;
import dev.tempmedia.media.MediaService;
import dev.tempmedia.media.MediaUpload;
import dev.tempmedia.media.VideoLinks;
import dev.tempmedia.media.format.MediaFormat;
import dev.tempmedia.media.multipart.Boundary;
import dev.tempmedia.media.multipart.MultipartException;
import dev.tempmedia.media.multipart.MultipartParser;
import dev.tempmedia.media.rules.MediaRule;
import dev.tempmedia.media.rules.MediaType;
import dev.tempmedia.media.rules.RuleBook;
import dev.tempmedia.storage.Blob;
import dev.tempmedia.storage.BlobKey;
import dev.tempmedia.storage.BlobMeta;
import dev.tempmedia.wechat.Dialect;
import dev.tempmedia.wechat.ErrorCode;
import dev.tempmedia.wechat.WeChatException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/** Upload and download of temporary media (SPEC §3, §4) and the signed video links. Wire format only. */
public final class MediaRoutes {
  private static final int MAX_JSON_BODY = 16 * 1024;
  private final Vertx vertx;
  private final Callers callers;
  private final MediaService media;
  private final VideoLinks videoLinks;
  private final ContentImages images;
  private final AppRegistry apps;
  private final ServerClock clock;
  private final Supplier<String> publicUrl;

  public MediaRoutes(
      Vertx vertx,
      Callers callers,
      MediaService media,
      VideoLinks videoLinks,
      ContentImages images,
      AppRegistry apps,
      ServerClock clock,
      Supplier<String> publicUrl) {
    this.vertx = vertx;
    this.callers = callers;
    this.media = media;
    this.videoLinks = videoLinks;
    this.images = images;
    this.apps = apps;
    this.clock = clock;
    this.publicUrl = publicUrl;
    this.formCredentials = new FormCredentialUpload(vertx, callers, media);
    this.blobs = new BlobResponse(new SignedUrlRelay(vertx));
  }

  private final FormCredentialUpload formCredentials;
  private final BlobResponse blobs;

  // ---- upload ----------------------------------------------------------------------------------

  Future<Reply> upload(Exchange ex) {
    if (FormCredentialUpload.applies(ex)) {
      return formCredentials.upload(ex);
    }
    return Stages.paused(ex, caller(ex), app -> uploadAs(ex, app));
  }

  /** An upload on behalf of {@code app}, whose caller is already established (a token, or the operator). */
  public Future<Reply> uploadAs(Exchange ex, App app) {
    MediaRule rule = media.ruleFor(app, ex.param("type"));
    return receive(
        ex,
        app,
        rule,
        media.begin(app, rule),
        upload -> app.dialect()
            .uploadBody(
                rule.type().wireName(),
                media.mediaIdOf(upload, app),
                upload.id().createdAt()));
  }

  /**
   * Streams the {@code media} part of a multipart body into {@code upload} under {@code rule}, commits it
   * on a worker and answers what {@code answer} makes of the committed upload (run on the worker).
   */
  private Future<Reply> receive(
      Exchange ex,
      App app,
      MediaRule rule,
      MediaUpload upload,
      java.util.function.Function<MediaUpload, Object> answer) {
    refuseByDeclaredLength(ex, app, rule);
    HttpServerRequest request = ex.request();
    String contentType = request.getHeader("Content-Type");
    java.util.Optional<String> declared = Boundary.of(contentType);
    if (declared.isEmpty() && !Boundary.isFormData(contentType)) {
      throw noForm(app, contentType);
    }
    // Without a boundary parameter, the body's first line names it: read that far first.
    MultipartParser[] parser = {
      declared.map(b -> new MultipartParser(b, upload)).orElse(null)
    };
    io.vertx.core.buffer.Buffer head = io.vertx.core.buffer.Buffer.buffer();
    long bodyCap =
        Math.min(rule.maxBytes() + RuleBook.MULTIPART_ALLOWANCE, media.rules().hardCapBytes());
    Promise<Reply> reply = Promise.promise();
    long[] received = {0};
    // While storage is backlogged, the body waits in the socket, not in Vert.x's queues.
    PromptPause backpressure = new PromptPause(request);

    request.handler(chunk -> {
      if (reply.future().isComplete()) {
        return;
      }
      try {
        received[0] += chunk.length();
        if (received[0] > bodyCap) {
          throw new WeChatException(
              rule.sizeError(),
              app.product(),
              "the body passed " + bodyCap + " bytes while streaming; "
                  + rule.type().wireName() + " files may have " + rule.maxBytes());
        }
        io.vertx.core.buffer.Buffer bytes = chunk;
        if (parser[0] == null) {
          head.appendBuffer(chunk);
          java.util.Optional<String> sniffed = Boundary.sniff(head.getBytes());
          if (sniffed.isEmpty()) {
            if (head.length() >= Boundary.MAX_FIRST_LINE
                || head.length() >= 2 && (head.getByte(0) != '-' || head.getByte(1) != '-')) {
              throw noForm(app, contentType);
            }
            return;
          }
          parser[0] = new MultipartParser(sniffed.get(), upload);
          bytes = head;
        }
        for (ByteBuffer view : Bodies.views(bytes)) {
          parser[0].feed(view);
        }
        if (upload.backlogged()) {
          backpressure.pause();
          io.vertx.core.Context context = vertx.getOrCreateContext();
          upload.whenDrained(() -> context.runOnContext(v -> backpressure.resume()));
        }
      } catch (Exception e) {
        refuse(upload, reply, e, app);
      }
    });
    // What reaches here is a body that is not valid HTTP (a broken chunk size) or that broke off:
    // the client's fault, not a storage failure, so it answers 41005 rather than -1.
    request.exceptionHandler(e -> refuse(
        upload,
        reply,
        new WeChatException(
            ErrorCode.MEDIA_DATA_MISSING,
            app.product(),
            "the request body could not be read: " + e.getMessage()),
        app));
    request
        .response()
        .closeHandler(
            v -> refuse(upload, reply, new IOException("the client closed the connection"), app));
    request.endHandler(v -> {
      if (reply.future().isComplete()) {
        return;
      }
      BlobMeta meta;
      try {
        if (parser[0] == null) {
          throw noForm(app, contentType);
        }
        parser[0].end();
        meta = upload.finish();
      } catch (Exception e) {
        refuse(upload, reply, e, app);
        return;
      }
      vertx
          .executeBlocking(
              () -> {
                upload.commit(meta);
                media.committed(app, upload);
                return answer.apply(upload);
              },
              false)
          .onComplete(done -> {
            if (done.failed()) {
              refuse(upload, reply, done.cause(), app);
            } else {
              reply.tryComplete(Reply.json(done.result()));
            }
          });
    });
    ex.sendContinue();
    return reply.future();
  }

  // ---- the other uploads (SPEC §12) -------------------------------------------------------------

  /** {@code uploadimg}: a content image, answered as a URL that needs no token and is not swept. */
  Future<Reply> uploadImage(Exchange ex) {
    return Stages.paused(ex, caller(ex), app -> {
      MediaRule rule =
          media.endpoints(app).contentImage().orElseThrow(() -> unauthorized(app, "uploadimg"));
      return receive(ex, app, rule, images.begin(app, rule), upload -> {
        Map<String, Object> body = new LinkedHashMap<>();
        if (app.dialect().okEnvelope()) {
          body.put("errcode", 0);
          body.put("errmsg", "ok");
        }
        body.put("url", images.url(publicUrl.get(), upload));
        return body;
      });
    });
  }

  /**
   * {@code upload_attachment} (WeCom's external-contact attachments): an upload whose type is in
   * {@code media_type}, for a scene named by {@code attachment_type}, answering created_at as a number.
   */
  Future<Reply> uploadAttachment(Exchange ex) {
    return Stages.paused(ex, caller(ex), app -> {
      Set<MediaType> types = media.endpoints(app).attachment();
      if (types.isEmpty()) {
        throw unauthorized(app, "upload_attachment");
      }
      String scene = ex.param("attachment_type");
      if (!"1".equals(scene) && !"2".equals(scene)) {
        throw new WeChatException(
            ErrorCode.INVALID_PARAMETER,
            app.product(),
            "attachment_type must be 1 (moments) or 2 (product album); it was "
                + (scene == null ? "missing" : "\"" + scene + "\""));
      }
      String typeParam = ex.param("media_type");
      MediaRule rule = media.ruleFor(app, typeParam);
      if (!types.contains(rule.type())) {
        throw new WeChatException(
            ErrorCode.INVALID_MEDIA_TYPE,
            app.product(),
            "media_type=" + typeParam + " is not an attachment type; upload_attachment takes "
                + types.stream().map(MediaType::wireName).sorted().toList());
      }
      return receive(ex, app, rule, media.begin(app, rule), upload -> {
        Map<String, Object> body = app.dialect()
            .uploadBody(
                rule.type().wireName(),
                media.mediaIdOf(upload, app),
                upload.id().createdAt());
        body.put("created_at", upload.id().createdAt()); // a number here, unlike upload's
        return body;
      });
    });
  }

  /** {@code uploadvideo}: a video media_id of the app's, made into a new one for mass sending. */
  Future<Reply> massVideo(Exchange ex) {
    return Stages.paused(ex, caller(ex), app -> {
      if (!media.endpoints(app).massVideo()) {
        throw unauthorized(app, "uploadvideo");
      }
      return JsonBodies.read(ex.request(), MAX_JSON_BODY)
          .compose(body -> {
            String source = MassVideoRequest.mediaId(body, app);
            return vertx.executeBlocking(() -> media.massVideo(app, source), false);
          })
          .map(made -> Reply.json(app.dialect()
              .uploadBody(MediaType.VIDEO.wireName(), made.mediaId(), made.id().createdAt())));
    });
  }

  /** The fields of an uploadvideo body: {@code media_id} required, {@code title} and {@code description} text. */
  private static final class MassVideoRequest {
    static String mediaId(com.fasterxml.jackson.databind.JsonNode body, App app) {
      for (String field : List.of("title", "description")) {
        com.fasterxml.jackson.databind.JsonNode v = body.get(field);
        if (v != null && !v.isTextual() && !v.isNull()) {
          throw new WeChatException(
              ErrorCode.DATA_FORMAT_ERROR,
              app.product(),
              field + " must be a JSON string; it was "
                  + v.getNodeType().toString().toLowerCase());
        }
      }
      com.fasterxml.jackson.databind.JsonNode id = body.get("media_id");
      if (id == null || id.isNull() || (id.isTextual() && id.asText().isEmpty())) {
        throw new WeChatException(
            ErrorCode.MEDIA_ID_MISSING,
            app.product(),
            "the body has no media_id: send {\"media_id\":\"…\",\"title\":\"…\",\"description\":\"…\"}"
                + " with the media_id of a video uploaded with type=video");
      }
      if (!id.isTextual()) {
        throw new WeChatException(
            ErrorCode.DATA_FORMAT_ERROR, app.product(), "media_id must be a JSON string");
      }
      return id.asText();
    }
  }

  /** A content image's URL: no token; only content images are served through it. */
  public Future<Reply> contentImage(Exchange ex) {
    java.util.Optional<BlobKey> key = images.keyOf(ex.request().path());
    if (key.isEmpty()) {
      throw new WeChatException(ErrorCode.INVALID_MEDIA_ID, "the image URL is malformed");
    }
    // As for media: on the event loop when the store opens quickly or the cache knows the image
    // (an S3 image read within the last minute), else on a worker.
    Future<java.util.Optional<Blob>> opened;
    if (images.opensQuickly()) {
      opened = Future.succeededFuture(openQuietly(key.get()));
    } else {
      java.util.Optional<Blob> known = images.known(key.get());
      opened = known.isPresent()
          ? Future.succeededFuture(known)
          : vertx.executeBlocking(() -> openQuietly(key.get()), false);
    }
    return opened.compose(blob -> {
      if (blob.isEmpty()) {
        throw new WeChatException(
            ErrorCode.INVALID_MEDIA_ID, "no such image: it was purged, or never uploaded here");
      }
      return blobs.send(ex, blob.get(), null);
    });
  }

  private java.util.Optional<Blob> openQuietly(BlobKey key) {
    try {
      return images.open(key);
    } catch (IOException e) {
      throw new WeChatException(
          ErrorCode.SYSTEM_ERROR, "storage could not be read: " + e.getMessage());
    }
  }

  private static WeChatException unauthorized(App app, String endpoint) {
    return new WeChatException(
        ErrorCode.API_UNAUTHORIZED,
        app.product(),
        endpoint + " is not an endpoint of " + app.product().wireName() + " apps");
  }

  private static WeChatException noForm(App app, String contentType) {
    return new WeChatException(
        ErrorCode.MEDIA_DATA_MISSING,
        app.product(),
        "the body must be multipart/form-data with a boundary (a form with a file field named media);"
            + " Content-Type was "
            + (contentType == null ? "missing" : "\"" + contentType + "\""));
  }

  /** A body that says up front it is too big is refused before a byte of it is read. */
  private void refuseByDeclaredLength(Exchange ex, App app, MediaRule rule) {
    long declared = Bodies.declaredLength(ex.request());
    if (declared > media.rules().hardCapBytes()) {
      throw new WeChatException(
          ErrorCode.MEDIA_SIZE_OUT_OF_LIMIT,
          app.product(),
          "Content-Length " + declared + " is over the server's cap of "
              + media.rules().hardCapBytes() + " bytes for any upload");
    }
    if (declared > rule.maxBytes() + RuleBook.MULTIPART_ALLOWANCE) {
      throw new WeChatException(
          rule.sizeError(),
          app.product(),
          "Content-Length " + declared + " is over what a "
              + rule.type().wireName() + " upload may send: " + rule.maxBytes()
              + " bytes of file plus "
              + RuleBook.MULTIPART_ALLOWANCE + " of form");
    }
  }

  private static void refuse(MediaUpload upload, Promise<Reply> answer, Throwable cause, App app) {
    if (answer.future().isComplete()) {
      return;
    }
    upload.abort();
    answer.tryFail(asWeChat(cause, app));
  }

  private static Throwable asWeChat(Throwable cause, App app) {
    if (cause instanceof WeChatException) {
      return cause;
    }
    if (cause instanceof MultipartException m) {
      return new WeChatException(
          ErrorCode.MEDIA_DATA_MISSING,
          app.product(),
          "the multipart body is broken: " + m.getMessage());
    }
    if (cause instanceof IOException io) {
      return new WeChatException(
          ErrorCode.SYSTEM_ERROR,
          app.product(),
          "the upload could not be stored: " + io.getMessage());
    }
    return cause;
  }

  // ---- download --------------------------------------------------------------------------------

  Future<Reply> download(Exchange ex) {
    return caller(ex).compose(app -> download(ex, app));
  }

  private Future<Reply> download(Exchange ex, App app) {
    String mediaIdText = ex.param("media_id");
    MediaId id = media.authorize(app, mediaIdText);
    return opened(ex, app, id).compose(blob -> {
      if (id.type() == MediaType.VIDEO && app.dialect().videoAsLink()) {
        String url =
            videoLinks.url(publicUrl.get(), app.id(), mediaIdText, id, clock.epochSecond());
        return Future.succeededFuture(Reply.json(Map.of("video_url", url)));
      }
      return blobs.send(ex, blob, disposition(app.dialect(), mediaIdText, id, blob.meta()));
    });
  }

  // ---- the JS-SDK's voices (SPEC §12) -----------------------------------------------------------

  /** {@code media/get/jssdk}: the HD (Speex) voice of a voice the JS-SDK uploaded. */
  Future<Reply> jssdkDownload(Exchange ex) {
    return caller(ex).compose(app -> {
      if (!media.endpoints(app).jssdkVoice()) {
        throw unauthorized(app, "media/get/jssdk");
      }
      String mediaIdText = ex.param("media_id");
      MediaId id = media.authorize(app, mediaIdText);
      return vertx
          .executeBlocking(() -> media.speexOf(app, mediaIdText, id), false)
          .compose(
              blob -> blobs.send(ex, blob, ContentDisposition.attachment(mediaIdText + ".speex")));
    });
  }

  /**
   * What the JS-SDK's {@code wx.uploadVoice} would have made of an audio file (the operator's
   * {@code POST /_tempmedia/jssdk/voice}): the body is the file, raw or as the {@code media} part of a
   * form, at most {@link #JSSDK_VOICE_MAX_BYTES}; the answer is {@code {"serverId": media_id}}.
   */
  public Future<Reply> jssdkVoiceAs(Exchange ex, App app) {
    if (!media.endpoints(app).jssdkVoice()) {
      throw unauthorized(app, "the JS-SDK's uploadVoice");
    }
    HttpServerRequest request = ex.request();
    String contentType = request.getHeader("Content-Type");
    boolean form = Boundary.isFormData(contentType);
    long cap = JSSDK_VOICE_MAX_BYTES + (form ? RuleBook.MULTIPART_ALLOWANCE : 0);
    if (Bodies.declaredLength(request) > cap) {
      throw tooLargeVoice(app, "Content-Length " + Bodies.declaredLength(request));
    }
    Promise<byte[]> body = Promise.promise();
    io.vertx.core.buffer.Buffer received = io.vertx.core.buffer.Buffer.buffer();
    request.handler(chunk -> {
      if (body.future().isComplete()) {
        return;
      }
      if (received.length() + chunk.length() > cap) {
        body.tryFail(tooLargeVoice(app, "the body"));
        return;
      }
      received.appendBuffer(chunk);
    });
    request.exceptionHandler(e -> body.tryFail(new WeChatException(
        ErrorCode.MEDIA_DATA_MISSING,
        app.product(),
        "the request body could not be read: " + e.getMessage())));
    request.endHandler(v -> {
      try {
        body.tryComplete(form ? mediaPart(app, contentType, received) : received.getBytes());
      } catch (WeChatException e) {
        body.tryFail(e);
      }
    });
    ex.sendContinue();
    return body.future()
        .compose(audio -> {
          if (audio.length == 0) {
            throw new WeChatException(
                ErrorCode.EMPTY_MEDIA_DATA, app.product(), "the audio file is empty (0 bytes)");
          }
          return vertx.executeBlocking(() -> media.jssdkVoice(app, audio), false);
        })
        .recover(e -> Future.failedFuture(
            e instanceof IOException io
                ? new WeChatException(
                    ErrorCode.MEDIA_DATA_MISSING,
                    app.product(),
                    "the audio could not be made into a JSSDK voice: " + io.getMessage())
                : e))
        .map(made -> Reply.json(Map.of("serverId", made.mediaId())));
  }

  /** The largest audio file {@code POST /_tempmedia/jssdk/voice} takes. */
  public static final int JSSDK_VOICE_MAX_BYTES = 2 * 1024 * 1024;

  private static WeChatException tooLargeVoice(App app, String what) {
    return new WeChatException(
        ErrorCode.MEDIA_SIZE_OUT_OF_LIMIT,
        app.product(),
        what + " is over the " + JSSDK_VOICE_MAX_BYTES + " bytes a JSSDK voice's audio may have");
  }

  /** The bytes of the {@code media} part of a multipart body. */
  private static byte[] mediaPart(App app, String contentType, io.vertx.core.buffer.Buffer body) {
    byte[] bytes = body.getBytes();
    String boundary = Boundary.of(contentType)
        .or(() -> Boundary.sniff(bytes))
        .orElseThrow(() -> noForm(app, contentType));
    java.io.ByteArrayOutputStream media = new java.io.ByteArrayOutputStream();
    boolean[] inMedia = {false};
    boolean[] seen = {false};
    MultipartParser parser = new MultipartParser(boundary, new MultipartParser.Listener() {
      @Override
      public void partBegin(dev.tempmedia.media.multipart.PartHeaders headers) {
        String disposition = headers.get("content-disposition").orElse(null);
        inMedia[0] = "media".equals(ContentDisposition.parseName(disposition).orElse(null));
        seen[0] |= inMedia[0];
      }

      @Override
      public void partData(ByteBuffer data) {
        if (inMedia[0]) {
          byte[] chunk = new byte[data.remaining()];
          data.duplicate().get(chunk);
          media.writeBytes(chunk);
        }
      }

      @Override
      public void partEnd() {
        inMedia[0] = false;
      }
    });
    try {
      parser.feed(ByteBuffer.wrap(bytes));
      parser.end();
    } catch (Exception e) {
      throw new WeChatException(
          ErrorCode.MEDIA_DATA_MISSING,
          app.product(),
          "the multipart body is broken: " + e.getMessage());
    }
    if (!seen[0]) {
      throw new WeChatException(
          ErrorCode.MEDIA_DATA_MISSING,
          app.product(),
          "the form has no part named \"media\" (the audio file field must be called media)");
    }
    return media.toByteArray();
  }

  /** The bytes of {@code app}'s media, videos included (the operator's view: no video links). */
  public Future<Reply> sendAs(Exchange ex, App app, String mediaIdText) {
    MediaId id = media.authorize(app, mediaIdText);
    return opened(ex, app, id)
        .compose(
            blob -> blobs.send(ex, blob, disposition(app.dialect(), mediaIdText, id, blob.meta())));
  }

  /** A signed video link: no token; the signature, its expiry and the media's own expiry are checked. */
  public Future<Reply> video(Exchange ex) {
    VideoLinks.Verified link = videoLinks
        .verify(
            ex.request().path(), ex.param("expires"), ex.param("signature"), clock.epochSecond())
        .orElseThrow(
            () -> new WeChatException(
                ErrorCode.INVALID_MEDIA_ID,
                "the video link is altered or expired (links live 24 h at most); download the media again for a new one"));
    return Stages.onLoop(apps.lookup(link.appId())).compose(found -> {
      App app = found.orElseThrow(() -> new WeChatException(
          ErrorCode.INVALID_MEDIA_ID,
          "the video link's app " + link.appId() + " no longer exists"));
      ex.caller(app.id(), app.product());
      MediaId id = media.authorize(app, link.mediaId());
      return opened(ex, app, id)
          .compose(blob ->
              blobs.send(ex, blob, disposition(app.dialect(), link.mediaId(), id, blob.meta())));
    });
  }

  private Future<Blob> opened(Exchange ex, App app, MediaId id) {
    if (media.deliversAsAmr(app, id)) {
      // An MP3 voice downloads as its AMR rendition (SPEC §13): a store read, or waiting for the
      // encoder's own bounded pool, so on a worker. A failed encoding serves the MP3 and says why.
      return vertx
          .executeBlocking(() -> media.amrOf(app, id, media.open(app, id)), false)
          .map(delivered -> {
            if (delivered.diagnosis() != null) {
              ex.outcome(0, null, delivered.diagnosis());
            }
            return delivered.blob();
          });
    }
    if (media.store().opensQuickly()) {
      return Future.succeededFuture(media.open(app, id));
    }
    // An S3 object downloaded within the last minute is in the cache: no worker hop for it.
    java.util.Optional<Blob> known = media.known(id);
    if (known.isPresent()) {
      return Future.succeededFuture(known.get());
    }
    return vertx.executeBlocking(() -> media.open(app, id), false);
  }

  /** MEDIA_ID.ext for Official Accounts and Mini Programs; the uploaded name, RFC 8187-encoded, for WeCom. */
  private static String disposition(
      Dialect dialect, String mediaIdText, MediaId id, BlobMeta meta) {
    if (dialect.uploadedNameOnDownload()) {
      String name =
          meta.filename().isEmpty() ? mediaIdText + "." + extension(meta) : meta.filename();
      return ContentDisposition.attachmentWithUtf8(name);
    }
    return ContentDisposition.attachment(mediaIdText + "." + extension(meta));
  }

  /** The extension of what is served: the stored format (an MP3 voice served as AMR is .amr). */
  private static String extension(BlobMeta meta) {
    return MediaFormat.byWireName(meta.format()).extension();
  }

  private Future<App> caller(Exchange ex) {
    return callers.authenticated(ex);
  }
}
