package dev.tempmedia.testing;

import dev.tempmedia.clock.ServerClock;
import dev.tempmedia.config.ConfigLoader;
import dev.tempmedia.config.ConfigValidator;
import dev.tempmedia.config.TempmediaConfig;
import dev.tempmedia.server.TempmediaServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/** A real server on a random port over a data directory, with a plain HTTP client for tests. */
public final class TestServer implements AutoCloseable {
  private final Path data;
  private final Map<String, String> flags;
  private final ServerClock clock = new ServerClock(Clock.systemUTC());
  private TempmediaServer server;
  private final HttpClient http = HttpClient.newHttpClient();

  public TestServer(Path data) {
    this(data, Map.of());
  }

  public TestServer(Path data, Map<String, String> extraFlags) {
    this.data = data;
    this.flags = new HashMap<>(extraFlags);
    this.flags.put("server.port", "0");
    this.flags.put("storage.path", data.toString());
    this.flags.putIfAbsent("storage.fsync", "false");
    start();
  }

  private void start() {
    TempmediaConfig config = ConfigValidator.validate(ConfigLoader.load(null, Map.of(), flags));
    server = TempmediaServer.start(config, clock);
  }

  /** Stops and starts again over the same data directory, keeping the moved clock. */
  public void restart() {
    server.close();
    start();
  }

  public TempmediaServer server() {
    return server;
  }

  public ServerClock clock() {
    return clock;
  }

  public String url(String pathAndQuery) {
    return server.baseUrl() + pathAndQuery;
  }

  public HttpResponse<String> get(String pathAndQuery) {
    return send(HttpRequest.newBuilder(URI.create(url(pathAndQuery))).GET().build());
  }

  public HttpResponse<String> postJson(String pathAndQuery, String json) {
    return send(HttpRequest.newBuilder(URI.create(url(pathAndQuery)))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build());
  }

  public HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.close();
  }
}
