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
        ex.wasDropped() ? 0 : declaredBodyLength(response),
        ex.tokenAccepted() ? explained(ex) : null));
  }

  /** Parameters that carry credentials: never kept, whatever the route. */
  private static final java.util.Set<String> SECRET_PARAMETERS =
      java.util.Set.of("access_token", "secret", "corpsecret", "appsecret");

  private static RequestRecord.Explained explained(Exchange ex) {
    var request = ex.request();
    StringBuilder url = new StringBuilder(request.path());
    String query = request.query();
    if (query != null && !query.isEmpty()) {
      char sep = '?';
      for (String pair : query.split("&")) {
        int eq = pair.indexOf('=');
        String name = eq < 0 ? pair : pair.substring(0, eq);
        if (!pair.isEmpty()
            && !SECRET_PARAMETERS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
          url.append(sep).append(pair);
          sep = '&';
        }
      }
    }
    String requestBody = ex.requestBody();
    if (requestBody == null) {
      requestBody = request.bytesRead() == 0 ? "" : "(" + request.bytesRead() + " bytes)";
    }
    byte[] answer = ex.responseBody();
    String responseBody = answer != null
        ? new String(answer, java.nio.charset.StandardCharsets.UTF_8)
        : "(" + declaredBodyLength(request.response()) + " bytes)";
    return new RequestRecord.Explained(url.toString(), requestBody, responseBody, ex.clientIp());
  }

  /** The body's length as the head declares it: the bytes are not written yet when the record is made. */
  private static long declaredBodyLength(io.vertx.core.http.HttpServerResponse response) {
    String length = response.headers().get("Content-Length");
    try {
      return length == null ? 0 : Long.parseLong(length);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
