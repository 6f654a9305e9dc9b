package dev.tempmedia.testing;

import dev.tempmedia.clock.ServerClock;
import dev.tempmedia.junit.Tempmedia;
import dev.tempmedia.server.TempmediaServer;
import dev.tempmedia.wechat.Product;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * A real server on a random port over a data directory, with a plain HTTP client for tests: the
 * project's own tests' layer over the JUnit harness ({@link Tempmedia}, which starts and stops the
 * server, and follows its requests and messages). In the scale-out run ({@code
 * -Dtempmedia.test.backend=scaled}) every server gets a bucket and a Redis database of its own.
 */
public final class TestServer implements AutoCloseable {
  private final Tempmedia tempmedia;
  private final HttpClient http = HttpClient.newHttpClient();

  public TestServer(Path data) {
    this(data, Map.of());
  }

  /** A server configured by a YAML text (apps, rules, …) on top of the test defaults. */
  public static TestServer withConfig(Path data, String yaml) {
    try {
      java.nio.file.Files.createDirectories(data);
      Path file = java.nio.file.Files.writeString(
          data.resolveSibling(data.getFileName() + "-config.yaml"), yaml);
      return new TestServer(data, Map.of(), file);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  public TestServer(Path data, Map<String, String> extraFlags) {
    this(data, extraFlags, (Path) null);
  }

  private TestServer(Path data, Map<String, String> extraFlags, Path configFile) {
    this(data, extraFlags, configFile, new ServerClock(Clock.systemUTC()));
  }

  /** Several instances of one deployment share a clock, as machines share the time. */
  public TestServer(Path data, Map<String, String> extraFlags, ServerClock sharedClock) {
    this(data, extraFlags, null, sharedClock);
  }

  private TestServer(
      Path data, Map<String, String> extraFlags, Path configFile, ServerClock clock) {
    Map<String, String> flags = new HashMap<>(extraFlags);
    if (ScaledBackends.enabled() && !extraFlags.containsKey("storage.kind")) {
      flags.putAll(ScaledBackends.get().newServerFlags());
    }
    Tempmedia.Builder settings = Tempmedia.builder().dataDir(data).clock(clock).set(flags);
    if (configFile != null) {
      settings.configFile(configFile);
    }
    this.tempmedia = settings.start();
  }

  /** Stops and starts again over the same data directory, keeping the moved clock. */
  public void restart() {
    tempmedia.restart();
  }

  /** The harness's handle on this server: its clock control, fault rules, requests and messages. */
  public Tempmedia tempmedia() {
    return tempmedia;
  }

  public TempmediaServer server() {
    return tempmedia.server();
  }

  /** The server's own clock object (moving it moves this instance only, and is not stored). */
  public ServerClock clock() {
    return tempmedia.server().clock();
  }

  public String url(String pathAndQuery) {
    return tempmedia.url(pathAndQuery);
  }

  public HttpResponse<String> get(String pathAndQuery) {
    return send(HttpRequest.newBuilder(URI.create(url(pathAndQuery))).GET().build());
  }

  public HttpResponse<String> postJson(String pathAndQuery, String json) {
    return send(HttpRequest.newBuilder(URI.create(url(pathAndQuery)))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json))
        .build());
  }

  public HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(bounded(request), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  // ---- the well-known development apps --------------------------------------------------------

  public static final String OA = Tempmedia.OFFICIAL_ACCOUNT_APPID;
  public static final String OA_SECRET = Tempmedia.OFFICIAL_ACCOUNT_SECRET;
  public static final String MP = Tempmedia.MINI_PROGRAM_APPID;
  public static final String MP_SECRET = Tempmedia.MINI_PROGRAM_SECRET;
  public static final String CORP = Tempmedia.WECOM_CORPID;
  public static final String CORP_SECRET = Tempmedia.WECOM_SECRET;
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  public static com.fasterxml.jackson.databind.JsonNode json(HttpResponse<String> response) {
    return json(response.body());
  }

  public static com.fasterxml.jackson.databind.JsonNode json(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + body, e);
    }
  }

  /** Any method, with an optional JSON body and header name/value pairs (the operator routes). */
  public HttpResponse<String> call(
      String method, String pathAndQuery, String json, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(pathAndQuery)))
        .method(
            method,
            json == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json));
    if (json != null) {
      b.header("Content-Type", "application/json");
    }
    if (headers.length > 0) {
      b.headers(headers);
    }
    return send(b.build());
  }

  /** A token for a dev app by product wire name: official-account, mini-program or wecom. */
  public String token(String product) {
    dev.tempmedia.auth.App app = dev.tempmedia.auth.DevApps.of(
        Product.fromWireName(product).orElseThrow(() -> new IllegalArgumentException(product)));
    HttpResponse<String> r = get(dev.tempmedia.http.WeChatApi.tokenRequest(
        app.product().profile().tokens(), app.id(), app.secrets().get(0)));
    String token = json(r).path("access_token").asText();
    if (token.isEmpty()) {
      throw new AssertionError("no token: " + r.body());
    }
    return token;
  }

  /** POSTs a one-file form, as curl -F media=@file does. */
  public HttpResponse<String> upload(String token, String type, String filename, byte[] bytes) {
    Multipart form = new Multipart().media(filename, bytes);
    return uploadRaw(
        dev.tempmedia.http.WeChatApi.MEDIA_UPLOAD + "?access_token=" + token + "&type=" + type,
        form.contentType(),
        form.close());
  }

  public HttpResponse<String> uploadRaw(String pathAndQuery, String contentType, byte[] body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(pathAndQuery)))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    return send(b.build());
  }

  /** GET /cgi-bin/media/get with extra header name/value pairs. */
  public HttpResponse<byte[]> download(String token, String mediaId, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(
            URI.create(url(dev.tempmedia.http.WeChatApi.MEDIA_GET + "?access_token=" + token
                + "&media_id=" + mediaId)))
        .GET();
    if (headers.length > 0) {
      b.headers(headers);
    }
    return sendForBytes(b.build());
  }

  /** The bytes of a media_id, following the video_url an Official Account video answers with. */
  public HttpResponse<byte[]> downloadFollowingVideoUrl(String token, String mediaId) {
    HttpResponse<byte[]> first = download(token, mediaId);
    String type = first.headers().firstValue("Content-Type").orElse("");
    if (!type.startsWith("application/json")) {
      return first;
    }
    String url;
    try {
      url = JSON.readTree(first.body()).path("video_url").asText();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    if (url.isEmpty()) {
      return first;
    }
    return sendForBytes(HttpRequest.newBuilder(URI.create(url)).GET().build());
  }

  public HttpResponse<byte[]> sendForBytes(HttpRequest request) {
    try {
      return http.send(bounded(request), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Whether this server stores media on the local disk (tests of files on disk need it). */
  public boolean local() {
    return server().config().storage().kind()
        == dev.tempmedia.config.TempmediaConfig.StorageKind.LOCAL;
  }

  /** How many media objects the store holds, over every app: whatever the backend. */
  public int storedObjectCount() {
    int n = 0;
    TempmediaServer server = server();
    for (dev.tempmedia.auth.App app : server.apps().all()) {
      try {
        dev.tempmedia.storage.BlobStore store = server.media().store();
        for (dev.tempmedia.storage.Partition p :
            store.partitions(server.media().codec().domainTag(app.mediaDomain()))) {
          n += store.list(p).size();
        }
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return n;
  }

  public Path dataDir() {
    return tempmedia.dataDir();
  }

  @Override
  public void close() {
    tempmedia.close();
  }

  /** A server that never answers fails the test in 30 s instead of hanging the build. */
  private static HttpRequest bounded(HttpRequest request) {
    return request.timeout().isPresent()
        ? request
        : HttpRequest.newBuilder(request, (name, value) -> true)
            .timeout(java.time.Duration.ofSeconds(30))
            .build();
  }
}
