package dev.tempmedia.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.net.URI;

/**
 * Relays a slice of a stored object from its signed URL (an S3 presigned GET) to a download's
 * response, on the event loop: Vert.x's own pooled client fetches it and the bytes are piped through
 * with backpressure, so a slow client slows the read and nothing blocks a thread. The SDK's blocking
 * GET cost a worker thread per download, a hop to the event loop per 64 KiB, and its request pipeline
 * about half of the CPU of a download (docs/benchmarks.md, S3 mode). Only the configured store's URLs
 * come here, never a host a client named.
 */
final class SignedUrlRelay {
  /** Connections kept to the store, per event loop's pool; a download holds one while it runs. */
  static final int POOL_SIZE = 64;

  private static final int IDLE_TIMEOUT_SECONDS = 60;
  private static final int RELAY_CHUNK = 128 * 1024;

  private final Vertx vertx;
  private volatile HttpClient client;

  SignedUrlRelay(Vertx vertx) {
    this.vertx = vertx;
  }

  /**
   * Sends bytes [offset, offset + length) of the object at {@code url} as the body of {@code
   * response}, whose status and headers are set, and ends it. Fails before anything is written when
   * the store does not answer the slice asked for, so the caller can still answer an error.
   */
  Future<Void> relay(URI url, long offset, long length, HttpServerResponse response) {
    RequestOptions get = new RequestOptions()
        .setMethod(HttpMethod.GET)
        .setAbsoluteURI(url.toString())
        .putHeader("Range", "bytes=" + offset + "-" + (offset + length - 1));
    return client().request(get).compose(request -> request.send()).compose(answer -> {
      if (!answersTheSlice(answer, length)) {
        answer.request().reset();
        return Future.failedFuture(new IOException("the store answered " + answer.statusCode()
            + " with " + answer.getHeader("Content-Length") + " bytes for a GET of "
            + length + " bytes of " + url.getPath()));
      }
      response.closeHandler(closed -> answer.request().reset());
      return answer.pipeTo(response);
    });
  }

  private static boolean answersTheSlice(HttpClientResponse answer, long length) {
    int status = answer.statusCode();
    return (status == 206 || status == 200)
        && Long.toString(length).equals(answer.getHeader("Content-Length"));
  }

  private HttpClient client() {
    HttpClient c = client;
    if (c == null) {
      synchronized (this) {
        c = client;
        if (c == null) {
          c = vertx.createHttpClient(
              new HttpClientOptions()
                  .setKeepAlive(true)
                  .setIdleTimeout(IDLE_TIMEOUT_SECONDS)
                  .setConnectTimeout(5_000)
                  // As on the server side: Netty's 8 KiB default cut every 64 KiB read into eight
                  // chunks, each a write of its own to the download.
                  .setMaxChunkSize(RELAY_CHUNK),
              new PoolOptions().setHttp1MaxSize(POOL_SIZE));
          client = c;
        }
      }
    }
    return c;
  }
}
