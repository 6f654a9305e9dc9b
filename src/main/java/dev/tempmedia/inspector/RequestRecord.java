package dev.tempmedia.inspector;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;

/**
 * One finished request as the inspector shows it. Holds no credential: the path is kept without its
 * query, and diagnoses are written never to quote a token or a secret.
 *
 * @param timeMillis when it arrived, by the server clock; formatted only when someone looks
 * @param via        which way it came in: http, https, proxy (absolute-form) or proxy-connect
 * @param errcode    the WeChat errcode answered, 0 for success (and for answers that are not WeChat errors)
 * @param diagnosis  for an error, which check failed and why, in plain words; null on success
 * @param explained  what rid/get may show its app; null unless the request's token was accepted
 */
@JsonPropertyOrder({
  "rid",
  "time",
  "method",
  "via",
  "path",
  "appid",
  "product",
  "status",
  "errcode",
  "errmsg",
  "diagnosis",
  "durationMs",
  "bytesIn",
  "bytesOut"
})
public record RequestRecord(
    String rid,
    @JsonIgnore long timeMillis,
    String method,
    String via,
    String path,
    String appid,
    String product,
    int status,
    int errcode,
    String errmsg,
    String diagnosis,
    double durationMs,
    long bytesIn,
    long bytesOut,
    @JsonIgnore Explained explained) {

  /**
   * What {@code rid/get} tells the app a request belonged to, kept only for a request whose access_token
   * was accepted (null otherwise): the URL without the token or any secret, and the JSON bodies (a body
   * that is not JSON, such as an upload's multipart, is kept as its size).
   */
  public record Explained(
      String requestUrl, String requestBody, String responseBody, String clientIp) {}

  @JsonProperty("time")
  public String time() {
    return Instant.ofEpochMilli(timeMillis).toString();
  }
}
