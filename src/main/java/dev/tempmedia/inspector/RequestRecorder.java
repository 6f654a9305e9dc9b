package dev.tempmedia.inspector;

import dev.tempmedia.http.Exchange;
import dev.tempmedia.http.ExchangeObserver;

/**
 * Turns each exchange into the inspector's record as its answer goes out, so that a test asking the
 * inspector right after a call always finds it. Its duration is therefore the time to the answer, and
 * its bytes out the body's declared length.
 */
public final class RequestRecorder implements ExchangeObserver {
  private final RequestLog log;

  public RequestRecorder(RequestLog log) {
    this.log = log;
  }

  @Override
  public void answered(Exchange ex) {
    var request = ex.request();
    var response = request.response();
    long declared =
        declaredBodyLength(response); // once: the record and its explanation both show it
    log.add(new RequestRecord(
        ex.id().rid(),
        ex.startedAtMillis(),
        request.method().name(),
        ex.via().wireName(),
        request.path(), // never the query: that is where tokens and secrets travel
        ex.appId(),
        ex.product() == null ? null : ex.product().wireName(),
        ex.wasDropped() ? 0 : response.getStatusCode(),
        ex.errcode(),
        ex.errmsg(),
        ex.diagnosis(),
        Math.round(ex.elapsedMillis() * 100) / 100.0,
        request.bytesRead(),
        ex.wasDropped() ? 0 : declared,
        ex.tokenAccepted() ? explained(ex, declared) : null));
  }

  /** Parameters that carry credentials: never kept, whatever the route. */
  private static final String[] SECRET_PARAMETERS = {
    "access_token", "secret", "corpsecret", "appsecret"
  };

  /**
   * The path and the query's pairs but those naming a credential (in any case), in their order and
   * as they were sent; empty pairs are dropped. One scan, no split: every request with an accepted
   * token is recorded so.
   */
  static String withoutSecrets(String path, String query) {
    if (query == null || query.isEmpty()) {
      return path;
    }
    StringBuilder url = new StringBuilder(path.length() + 1 + query.length()).append(path);
    char separator = '?';
    for (int start = 0; start < query.length(); ) {
      int end = query.indexOf('&', start);
      if (end < 0) {
        end = query.length();
      }
      int eq = query.indexOf('=', start);
      int nameEnd = eq < 0 || eq > end ? end : eq;
      if (end > start && !isSecret(query, start, nameEnd - start)) {
        url.append(separator).append(query, start, end);
        separator = '&';
      }
      start = end + 1;
    }
    return url.toString();
  }

  private static boolean isSecret(String query, int at, int length) {
    for (String secret : SECRET_PARAMETERS) {
      if (secret.length() == length && query.regionMatches(true, at, secret, 0, length)) {
        return true;
      }
    }
    return false;
  }

  private static RequestRecord.Explained explained(Exchange ex, long declaredBodyLength) {
    var request = ex.request();
    String url = withoutSecrets(request.path(), request.query());
    String requestBody = ex.requestBody();
    if (requestBody == null) {
      requestBody = request.bytesRead() == 0 ? "" : "(" + request.bytesRead() + " bytes)";
    }
    byte[] answer = ex.responseBody();
    String responseBody = answer != null
        ? new String(answer, java.nio.charset.StandardCharsets.UTF_8)
        : "(" + declaredBodyLength + " bytes)";
    return new RequestRecord.Explained(url, requestBody, responseBody, ex.clientIp());
  }

  private static final CharSequence CONTENT_LENGTH =
      io.vertx.core.http.HttpHeaders.createOptimized("Content-Length");

  /** The body's length as the head declares it: the bytes are not written yet when the record is made. */
  private static long declaredBodyLength(io.vertx.core.http.HttpServerResponse response) {
    String length = response.headers().get(CONTENT_LENGTH);
    try {
      return length == null ? 0 : Long.parseLong(length);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
