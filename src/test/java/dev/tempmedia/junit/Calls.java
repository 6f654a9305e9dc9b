package dev.tempmedia.junit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tempmedia.http.WeChatApi;
import dev.tempmedia.testing.MediaSamples;
import dev.tempmedia.testing.Multipart;
import dev.tempmedia.testing.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The few WeChat calls the harness's own tests make, over the JDK's client. */
final class Calls {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private Calls() {}

  static JsonNode get(Tempmedia server, String pathAndQuery) {
    return send(HttpRequest.newBuilder(URI.create(server.url(pathAndQuery))).GET());
  }

  static JsonNode post(Tempmedia server, String pathAndQuery, String json) {
    return send(HttpRequest.newBuilder(URI.create(server.url(pathAndQuery)))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  static String token(Tempmedia server) {
    String token = get(
            server,
            WeChatApi.TOKEN + "?grant_type=client_credential&appid="
                + Tempmedia.OFFICIAL_ACCOUNT_APPID + "&secret=" + Tempmedia.OFFICIAL_ACCOUNT_SECRET)
        .path("access_token")
        .asText();
    if (token.isEmpty()) {
      throw new AssertionError("no token");
    }
    return token;
  }

  /** An image upload for the Official Account: its answer. */
  static JsonNode upload(Tempmedia server, String token) {
    Multipart form = new Multipart().media("a.jpg", MediaSamples.jpeg(9, 9));
    return send(HttpRequest.newBuilder(URI.create(
            server.url(WeChatApi.MEDIA_UPLOAD + "?access_token=" + token + "&type=image")))
        .header("Content-Type", form.contentType())
        .POST(HttpRequest.BodyPublishers.ofByteArray(form.close())));
  }

  private static JsonNode send(HttpRequest.Builder request) {
    try {
      return TestServer.json(HTTP.send(
              request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString())
          .body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
