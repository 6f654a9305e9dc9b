package dev.tempmedia.testing;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * The JDK client's way onto cleartext HTTP/2 ({@code Upgrade: h2c} on its first request), made
 * dependable for tests that need that very client on HTTP/2.
 *
 * <p>About one fresh connection in a few hundred never delivers the answer to the upgrade request
 * (see {@link PriorKnowledgeH2}, which tests that need no JDK client use instead): the server sent
 * it, the client lost it. So the upgrade request waits 10 s at most and is sent again on a new
 * client, three times at most; the requests after it go over the connection that upgraded.
 */
public final class H2cUpgrade {
  private static final int ATTEMPTS = 3;

  private H2cUpgrade() {}

  /** A client whose connection has upgraded, and the answer to the upgrade request. */
  public record Upgraded<T>(HttpClient client, HttpResponse<T> answer) {}

  /** Sends {@code request}, which should have no body, as the upgrade of a new HTTP/2 client. */
  public static <T> Upgraded<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body)
      throws Exception {
    HttpRequest waitingAtMost10s = HttpRequest.newBuilder(request, (name, value) -> true)
        .timeout(Duration.ofSeconds(10))
        .build();
    for (int attempt = 1; ; attempt++) {
      HttpClient client =
          HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
      try {
        return new Upgraded<>(client, client.send(waitingAtMost10s, body));
      } catch (HttpTimeoutException lost) {
        if (attempt == ATTEMPTS) {
          throw lost;
        }
      }
    }
  }
}
