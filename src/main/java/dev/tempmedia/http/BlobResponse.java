package dev.tempmedia.http;

import dev.tempmedia.http.semantics.Preconditions;
import dev.tempmedia.storage.Blob;
import dev.tempmedia.storage.BlobMeta;
import dev.tempmedia.storage.OpenFile;
import io.netty.buffer.Unpooled;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.internal.buffer.BufferInternal;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Writes a stored object as a download (SPEC §4): the headers WeChat sends, conditional requests and a
 * single byte range decided by {@link Preconditions}, and the bytes by zero-copy sendfile when they
 * are on the local disk, from memory when the store holds them there (a small S3 object downloaded
 * lately), relayed from a signed URL (S3) by {@link SignedUrlRelay}, or else pumped from the store's
 * stream by {@link StreamPump}.
 */
final class BlobResponse {
  // Names and fixed values made once, in WeChat's casing: Netty hashes and checks a String name on
  // every putHeader, an optimized one only once (a few per cent of a small download's Java time).
  private static final CharSequence ETAG = HttpHeaders.createOptimized("ETag");
  private static final CharSequence CACHE_CONTROL = HttpHeaders.createOptimized("Cache-Control");
  private static final CharSequence CONTENT_LENGTH = HttpHeaders.createOptimized("Content-Length");
  private static final CharSequence CONTENT_RANGE = HttpHeaders.createOptimized("Content-Range");
  private static final CharSequence CONTENT_TYPE = HttpHeaders.createOptimized("Content-Type");
  private static final CharSequence CONTENT_DISPOSITION =
      HttpHeaders.createOptimized("Content-disposition");
  private static final CharSequence ACCEPT_RANGES = HttpHeaders.createOptimized("Accept-Ranges");
  private static final CharSequence NO_CACHE =
      HttpHeaders.createOptimized("no-cache, must-revalidate");
  private static final CharSequence BYTES = HttpHeaders.createOptimized("bytes");
  private static final CharSequence ZERO = HttpHeaders.createOptimized("0");
  // The request's conditional headers, looked up by names made once for the same reason.
  private static final CharSequence RANGE = HttpHeaders.createOptimized("Range");
  private static final CharSequence IF_MATCH = HttpHeaders.createOptimized("If-Match");
  private static final CharSequence IF_NONE_MATCH = HttpHeaders.createOptimized("If-None-Match");
  private static final CharSequence IF_MODIFIED_SINCE =
      HttpHeaders.createOptimized("If-Modified-Since");
  private static final CharSequence IF_UNMODIFIED_SINCE =
      HttpHeaders.createOptimized("If-Unmodified-Since");
  private static final CharSequence IF_RANGE = HttpHeaders.createOptimized("If-Range");

  private final SignedUrlRelay relay;

  BlobResponse(SignedUrlRelay relay) {
    this.relay = relay;
  }

  /**
   * @param disposition the Content-disposition value, or null for none
   */
  Future<Reply> send(Exchange ex, Blob blob, String disposition) {
    HttpServerRequest request = ex.request();
    HttpServerResponse response = request.response();
    BlobMeta meta = blob.meta();
    String etag = meta.etag();
    MultiMap headers = request.headers();
    Preconditions.Request conditions = new Preconditions.Request(
        request.method().name(),
        joined(headers, RANGE),
        joined(headers, IF_MATCH),
        joined(headers, IF_NONE_MATCH),
        headers.get(IF_MODIFIED_SINCE),
        headers.get(IF_UNMODIFIED_SINCE),
        headers.get(IF_RANGE));
    Preconditions.Outcome outcome = Preconditions.evaluate(
        conditions, new Preconditions.Representation(etag, null, meta.size()));

    long offset = 0;
    long length = meta.size();
    switch (outcome.kind()) {
      case NOT_MODIFIED -> {
        response.setStatusCode(304).putHeader(ETAG, etag).putHeader(CACHE_CONTROL, NO_CACHE);
        return ended(response);
      }
      case PRECONDITION_FAILED -> {
        response.setStatusCode(412).putHeader(CONTENT_LENGTH, ZERO);
        return ended(response);
      }
      case RANGE_NOT_SATISFIABLE -> {
        response
            .setStatusCode(416)
            .putHeader(CONTENT_RANGE, "bytes */" + meta.size())
            .putHeader(CONTENT_LENGTH, ZERO);
        return ended(response);
      }
      case PARTIAL -> {
        offset = outcome.range().first();
        length = outcome.range().length();
        response
            .setStatusCode(206)
            .putHeader(CONTENT_RANGE, outcome.range().contentRange(meta.size()));
      }
      case OK_FULL -> response.setStatusCode(200);
    }
    response.putHeader(CONTENT_TYPE, meta.contentType());
    if (disposition != null) {
      response.putHeader(CONTENT_DISPOSITION, disposition);
    }
    response
        .putHeader(CACHE_CONTROL, NO_CACHE)
        .putHeader(CONTENT_LENGTH, Long.toString(length))
        .putHeader(ACCEPT_RANGES, BYTES)
        .putHeader(ETAG, etag);
    if (request.method() == HttpMethod.HEAD) {
      return ended(response);
    }
    Optional<Path> file = blob.localFile();
    if (file.isPresent() && request.version() == HttpVersion.HTTP_2) {
      // HTTP/2 (a client that upgraded with h2c) goes through the by-name path: Vert.x's HTTP/2
      // response never completes a sendFile of an already opened file.
      return response.sendFile(file.get().toString(), offset, length).map(v -> Reply.sent());
    }
    if (file.isPresent()) {
      // An open channel rather than the name: sendFile(String) first resolves the name through
      // Vert.x's file resolver, four extra stat calls on every download. The store lends it from
      // its
      // open-file cache, so most downloads open nothing; Vert.x leaves a channel it did not open to
      // the caller, so the lease is given back once the response is done.
      Optional<OpenFile> lease;
      try {
        lease = blob.openFile();
      } catch (IOException e) {
        return Future.failedFuture(e);
      }
      if (lease.isPresent()) {
        OpenFile open = lease.get();
        long from = offset;
        long count = length;
        return CorkedSend.send(request, () -> response.sendFile(open.channel(), from, count))
            .andThen(done -> open.close())
            .map(v -> Reply.sent());
      }
    }
    Optional<ByteBuffer> held = blob.inMemory();
    if (held.isPresent()) {
      // Head and bytes in one write: the bytes are outside the heap, so Netty sends them as they
      // are; a slice per response, since one held object serves many downloads at once.
      ByteBuffer slice = held.get().slice(Math.toIntExact(offset), Math.toIntExact(length));
      return response
          .end(BufferInternal.buffer(Unpooled.wrappedBuffer(slice)))
          .map(v -> Reply.sent());
    }
    Optional<java.net.URI> signed = blob.signedUrl();
    if (signed.isPresent()) {
      return relay.relay(signed.get(), offset, length, response).map(v -> Reply.sent());
    }
    return StreamPump.copy(request, blob, offset, length).map(v -> Reply.sent());
  }

  private static Future<Reply> ended(HttpServerResponse response) {
    return response.end().map(v -> Reply.sent());
  }

  /**
   * A header sent on several lines, joined as RFC 9110 §5.3 allows; null when absent. Most
   * downloads send none of these, so the list of values is made only for a header that is there.
   */
  private static String joined(MultiMap headers, CharSequence name) {
    String first = headers.get(name);
    if (first == null) {
      return null;
    }
    java.util.List<String> values = headers.getAll(name);
    return values.size() == 1 ? first : String.join(", ", values);
  }
}
