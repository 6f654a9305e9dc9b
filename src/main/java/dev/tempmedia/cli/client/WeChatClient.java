package dev.tempmedia.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tempmedia.http.WeChatApi;
import dev.tempmedia.io.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The three calls of WeChat's temporary media API a command line needs: a token, an upload, a
 * download. Speaks to tempmedia or to WeChat itself, whichever the base URL names.
 *
 * <p>Failures come out in two kinds, because the command line answers them with different exit
 * codes: {@link WeChatError} when the server answered with an errcode, {@link IOException} when
 * there was no usable answer at all.
 */
public final class WeChatClient {
  private static final ObjectMapper JSON = Json.MAPPER;
  private static final String USER_AGENT = "tempmedia-cli";

  private final URI base;
  private final Credentials credentials;
  private final Duration timeout;
  private final HttpClient http;

  /**
   * @param timeout how long the server may go without answering, or without taking or sending a
   *                byte during a transfer, before the call gives up
   */
  public WeChatClient(URI base, Credentials credentials, Duration timeout) {
    String text = base.toString();
    this.base = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
    this.credentials = credentials;
    this.timeout = timeout;
    // HTTP/1.1 only: the JDK client would otherwise offer an h2c upgrade on every plain-http
    // request,
    // which buys nothing for a few requests and trips some proxies in between.
    this.http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10))
        .followRedirects(HttpClient.Redirect.NORMAL)
        .build();
  }

  public URI base() {
    return base;
  }

  public Duration timeout() {
    return timeout;
  }

  /**
   * An access token. An app's comes from {@code /cgi-bin/stable_token} without force_refresh: the
   * plain {@code /cgi-bin/token} would issue a new token and cut short the one a running service is
   * using. A corp's comes from {@code /cgi-bin/gettoken}, which never rotates a valid token.
   */
  public String token() throws IOException, WeChatError {
    HttpRequest request;
    if (credentials.kind() == Credentials.Kind.APP) {
      ObjectNode body = JSON.createObjectNode()
          .put("grant_type", "client_credential")
          .put("appid", credentials.id())
          .put("secret", credentials.secret())
          .put("force_refresh", false);
      request = request(uri(WeChatApi.STABLE_TOKEN))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
          .build();
    } else {
      request = request(uri(
              WeChatApi.WECOM_TOKEN,
              "corpid",
              credentials.id(),
              "corpsecret",
              credentials.secret()))
          .GET()
          .build();
    }
    JsonNode answer = answer(send(request, HttpResponse.BodyHandlers.ofString()));
    String token = answer.path("access_token").asText("");
    if (token.isEmpty()) {
      throw new IOException("the token answer from " + base + " has no access_token: " + answer);
    }
    return token;
  }

  /**
   * Uploads a file as {@code type}; answers WeChat's JSON ({@code type}, {@code media_id} or, for
   * a thumb, {@code thumb_media_id}, {@code created_at}) as the server wrote it.
   */
  public String upload(String token, String type, Path file, Progress progress)
      throws IOException, WeChatError {
    MultipartFile form = new MultipartFile(file, file.getFileName().toString());
    AtomicLong sent = new AtomicLong();
    HttpRequest request = HttpRequest.newBuilder(
            uri(WeChatApi.MEDIA_UPLOAD, "access_token", token, "type", type))
        .header("User-Agent", USER_AGENT)
        .header("Content-Type", form.requestContentType())
        // No Expect: 100-continue, though it would spare sending a file the server refuses by its
        // Content-Length: Java 17's client never returns when the answer is an error instead of
        // 100. The server reads and drops a refused body, so the answer still arrives after it.
        .POST(form.publisher(bytes -> {
          sent.addAndGet(bytes);
          progress.advance(bytes);
        }))
        .build();
    HttpResponse<String> response = sendWatched(request, sent);
    answer(response);
    return response.body();
  }

  /**
   * Sends an upload without a timeout on the whole exchange (20 MB on a slow link takes minutes),
   * giving up instead when no byte of the body went out, and then no answer came, for the timeout.
   */
  private HttpResponse<String> sendWatched(HttpRequest request, AtomicLong sent)
      throws IOException {
    CompletableFuture<HttpResponse<String>> answer =
        http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    long lastSent = -1;
    long since = System.nanoTime();
    while (true) {
      try {
        return answer.get(Math.min(timeout.toMillis(), 1000), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        long now = System.nanoTime();
        if (sent.get() != lastSent) {
          lastSent = sent.get();
          since = now;
        } else if (now - since > timeout.toNanos()) {
          answer.cancel(true);
          throw new IOException(
              "the upload to " + base + " made no progress for " + timeout.toSeconds() + " s");
        }
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        throw explained(cause instanceof IOException io ? io : new IOException(cause));
      } catch (InterruptedException e) {
        answer.cancel(true);
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted");
      }
    }
  }

  /** The media_id an upload answer carries ({@code thumb_media_id} for an Official Account thumb). */
  public static String mediaIdOf(String uploadAnswer) throws IOException {
    JsonNode json = parse(uploadAnswer);
    String id = json.path("media_id").asText(json.path("thumb_media_id").asText(""));
    if (id.isEmpty()) {
      throw new IOException("the upload answer has no media_id: " + uploadAnswer);
    }
    return id;
  }

  /**
   * Opens a media's bytes, with extra request headers (Range, If-Range). The answer is one with a
   * body to read: 200, 206, or 416 for a range past the end. A JSON answer is WeChat speaking rather
   * than the file: an error (thrown), or for an Official Account video a {@code video_url} to
   * follow, with the same headers, so ranges work there too.
   */
  public HttpResponse<InputStream> openMedia(
      String token, String mediaId, Map<String, String> headers) throws IOException, WeChatError {
    HttpResponse<InputStream> response =
        get(uri(WeChatApi.MEDIA_GET, "access_token", token, "media_id", mediaId), headers);
    if (isWeChatJson(response)) {
      JsonNode json = answer(readJson(response));
      String videoUrl = json.path("video_url").asText("");
      if (videoUrl.isEmpty()) {
        throw new IOException(
            "the download answered JSON that is neither an error nor a video_url: " + json);
      }
      response = get(base.resolve(URI.create(videoUrl)), headers);
      if (isWeChatJson(response)) {
        answer(readJson(response));
        throw new IOException("the video_url answered JSON instead of the video");
      }
    }
    return response;
  }

  private HttpResponse<InputStream> get(URI uri, Map<String, String> headers) throws IOException {
    HttpRequest.Builder request = request(uri).GET();
    headers.forEach(request::header);
    return send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
  }

  /**
   * Whether an answer is WeChat's JSON rather than the file. The Content-Type alone does not tell:
   * a WeCom {@code file} named {@code x.json} is served as application/json too. Files always come
   * with a Content-disposition, errors and video links never do.
   */
  static boolean isWeChatJson(HttpResponse<?> response) {
    String type = response.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
    return type.startsWith("application/json")
        && response.headers().firstValue("Content-Disposition").isEmpty();
  }

  private static String readJson(HttpResponse<InputStream> response) throws IOException {
    try (InputStream in = response.body()) {
      // An answer that is JSON is small; a bound keeps a misbehaving server from filling memory.
      byte[] bytes = in.readNBytes(1 << 20);
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  /** Parses an answer and throws its errcode when it has one other than 0 (WeCom and Mini Programs send 0 on success). */
  private static JsonNode answer(HttpResponse<String> response) throws IOException, WeChatError {
    if (response.statusCode() != 200) {
      URI u = response.uri(); // without the query: it holds the secret or the token
      throw new IOException("HTTP " + response.statusCode() + " from " + u.getScheme() + "://"
          + u.getRawAuthority() + u.getRawPath() + " (is the URL a tempmedia or WeChat server?)");
    }
    return answer(response.body());
  }

  private static JsonNode answer(String body) throws IOException, WeChatError {
    JsonNode json = parse(body);
    int errcode = json.path("errcode").asInt(0);
    if (errcode != 0) {
      throw new WeChatError(errcode, json.path("errmsg").asText(""));
    }
    return json;
  }

  private static JsonNode parse(String body) throws IOException {
    try {
      JsonNode json = JSON.readTree(body);
      if (json == null || !json.isObject()) {
        throw new IOException("the answer is not a JSON object: " + abbreviate(body));
      }
      return json;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IOException("the answer is not JSON: " + abbreviate(body), e);
    }
  }

  private static String abbreviate(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "…";
  }

  /** A request whose answer must begin within the timeout; the body of a download is watched apart. */
  private HttpRequest.Builder request(URI uri) {
    return HttpRequest.newBuilder(uri).timeout(timeout).header("User-Agent", USER_AGENT);
  }

  private URI uri(String path, String... namesAndValues) {
    StringBuilder query = new StringBuilder();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      query
          .append(i == 0 ? '?' : '&')
          .append(namesAndValues[i])
          .append('=')
          .append(URLEncoder.encode(namesAndValues[i + 1], StandardCharsets.UTF_8));
    }
    return URI.create(base + path + query);
  }

  /** Sends, turning the JDK's terse network exceptions into messages that name the server. */
  private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
      throws IOException {
    try {
      return http.send(request, handler);
    } catch (IOException e) {
      throw explained(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted");
    }
  }

  private IOException explained(IOException e) {
    if (e instanceof ConnectException) {
      return new IOException(
          "cannot connect to " + base + " (" + reason(e, "connection refused") + ")", e);
    }
    if (e instanceof HttpTimeoutException) {
      return new IOException("no answer from " + base + " within " + timeout.toSeconds() + " s", e);
    }
    return new IOException(
        "talking to " + base + " failed: " + reason(e, e.getClass().getSimpleName()), e);
  }

  /** The deepest message of a chain: the JDK client often wraps the useful one. */
  static String reason(Throwable e, String fallback) {
    String reason = null;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        reason = t.getMessage();
      }
    }
    return reason != null ? reason : fallback;
  }
}
