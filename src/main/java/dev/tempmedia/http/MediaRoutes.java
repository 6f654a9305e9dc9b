package dev.tempmedia.http;

import dev.tempmedia.auth.App;
import dev.tempmedia.auth.AppRegistry;
import dev.tempmedia.clock.ServerClock;
import dev.tempmedia.http.semantics.ContentDisposition;
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
import java.util.Map;
import java.util.function.Supplier;

/** Upload and download of temporary media (SPEC §3, §4) and the signed video links. Wire format only. */
public final class MediaRoutes {
  private final Vertx vertx;
  private final Callers callers;
  private final MediaService media;
  private final VideoLinks videoLinks;
  private final AppRegistry apps;
  private final ServerClock clock;
  private final Supplier<String> publicUrl;

  public MediaRoutes(
      Vertx vertx,
      Callers callers,
      MediaService media,
      VideoLinks videoLinks,
      AppRegistry apps,
      ServerClock clock,
      Supplier<String> publicUrl) {
    this.vertx = vertx;
    this.callers = callers;
    this.media = media;
    this.videoLinks = videoLinks;
    this.apps = apps;
    this.clock = clock;
    this.publicUrl = publicUrl;
  }

  // ---- upload ----------------------------------------------------------------------------------

  Future<Reply> upload(Exchange ex) {
    return Stages.paused(ex, caller(ex), app -> uploadAs(ex, app));
  }

  /** An upload on behalf of {@code app}, whose caller is already established (a token, or the operator). */
  public Future<Reply> uploadAs(Exchange ex, App app) {
    MediaRule rule = media.ruleFor(app, ex.param("type"));
    refuseByDeclaredLength(ex, app, rule);
    HttpServerRequest request = ex.request();
    String contentType = request.getHeader("Content-Type");
    String boundary = Boundary.of(contentType)
        .orElseThrow(() -> new WeChatException(
            ErrorCode.MEDIA_DATA_MISSING,
            app.product(),
            "the body must be multipart/form-data with a boundary (a form with a file field named media);"
                + " Content-Type was "
                + (contentType == null ? "missing" : "\"" + contentType + "\"")));

    MediaUpload upload = media.begin(app, rule);
    MultipartParser parser = new MultipartParser(boundary, upload);
    long bodyCap =
        Math.min(rule.maxBytes() + RuleBook.MULTIPART_ALLOWANCE, media.rules().hardCapBytes());
    Promise<Reply> answer = Promise.promise();
    long[] received = {0};

    request.handler(chunk -> {
      if (answer.future().isComplete()) {
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
        for (ByteBuffer view : Bodies.views(chunk)) {
          parser.feed(view);
        }
        if (upload.backlogged()) {
          request.pause();
          io.vertx.core.Context context = vertx.getOrCreateContext();
          upload.whenDrained(() -> context.runOnContext(v -> request.resume()));
        }
      } catch (Exception e) {
        refuse(upload, answer, e, app);
      }
    });
    // What reaches here is a body that is not valid HTTP (a broken chunk size) or that broke off:
    // the
    // client's fault, not a storage failure, so it answers 41005 rather than -1.
    request.exceptionHandler(e -> refuse(
        upload,
        answer,
        new WeChatException(
            ErrorCode.MEDIA_DATA_MISSING,
            app.product(),
            "the request body could not be read: " + e.getMessage()),
        app));
    request
        .response()
        .closeHandler(
            v -> refuse(upload, answer, new IOException("the client closed the connection"), app));
    request.endHandler(v -> {
      if (answer.future().isComplete()) {
        return;
      }
      BlobMeta meta;
      try {
        parser.end();
        meta = upload.finish();
      } catch (Exception e) {
        refuse(upload, answer, e, app);
        return;
      }
      vertx
          .executeBlocking(
              () -> {
                upload.commit(meta);
                media.committed(app, upload);
                return media.mediaIdOf(upload, app);
              },
              false)
          .onComplete(done -> {
            if (done.failed()) {
              refuse(upload, answer, done.cause(), app);
            } else {
              answer.tryComplete(Reply.json(app.dialect()
                  .uploadBody(rule.type().wireName(), done.result(), upload.id().createdAt())));
            }
          });
    });
    ex.sendContinue();
    return answer.future();
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
      return BlobResponse.send(ex, blob, disposition(app.dialect(), mediaIdText, id, blob.meta()));
    });
  }

  /** The bytes of {@code app}'s media, videos included (the operator's view: no video links). */
  public Future<Reply> sendAs(Exchange ex, App app, String mediaIdText) {
    MediaId id = media.authorize(app, mediaIdText);
    return opened(ex, app, id)
        .compose(blob ->
            BlobResponse.send(ex, blob, disposition(app.dialect(), mediaIdText, id, blob.meta())));
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
          .compose(blob -> BlobResponse.send(
              ex, blob, disposition(app.dialect(), link.mediaId(), id, blob.meta())));
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
