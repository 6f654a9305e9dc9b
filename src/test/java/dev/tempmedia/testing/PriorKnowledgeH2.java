package dev.tempmedia.testing;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP/2 client that speaks cleartext HTTP/2 from the first byte (prior knowledge, RFC 9113
 * §3.3), for tests of what the server sends over HTTP/2.
 *
 * <p>Why not the JDK's client, which reaches HTTP/2 on {@code http://} only by an {@code Upgrade:
 * h2c} request: about one fresh connection in a few hundred never delivers the answer to that
 * first request when the server's HTTP/2 frames arrive in the same read as its 101 (JDK 17.0.15
 * and 25.0.3 alike; a 30 000-byte answer ended at once by a bare Vert.x server, 400 connections
 * in a row). curl's upgrade and a client reading the frames by hand received every answer in the
 * same run, so the server sends them: the loss is the client's, and a test should not depend on it.
 */
public final class PriorKnowledgeH2 implements AutoCloseable {
  /** One answer, read whole. */
  public record Answer(int status, HttpVersion version, MultiMap headers, byte[] body) {}

  private final Vertx vertx = Vertx.vertx();
  private final HttpClient client = vertx.createHttpClient(new HttpClientOptions()
      .setProtocolVersion(HttpVersion.HTTP_2)
      .setHttp2ClearTextUpgrade(false));

  /**
   * @param headers name, value, name, value…
   */
  public Answer get(URI uri, String... headers) throws Exception {
    RequestOptions options =
        new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(uri.toString());
    for (int i = 0; i + 1 < headers.length; i += 2) {
      options.addHeader(headers[i], headers[i + 1]);
    }
    return client
        .request(options)
        .compose(request -> request.send())
        .compose(response -> response
            .body()
            .map(body -> new Answer(
                response.statusCode(), response.version(), response.headers(), body.getBytes())))
        .toCompletionStage()
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    vertx.close();
  }
}
