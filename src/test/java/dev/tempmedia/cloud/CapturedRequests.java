package dev.tempmedia.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tempmedia.media.multipart.Boundary;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;

/**
 * Requests wx-server-sdk 4.0.2 (with @cloudbase/node-sdk 3.17.2) really sent, captured once by a
 * local HTTP server that answered a gateway error (src/test/resources/dev/tempmedia/cloud): the body
 * as received and the method, URL and headers as JSON. They were signed with SecretId
 * {@code AKIDcapture} and SecretKey {@code capture-secret-key}, env {@code capture-env}; the PNG is
 * compat/node/fixtures/picture.png.
 */
record CapturedRequests(String method, String url, JsonNode headers, byte[] body) {
  static final String SECRET_ID = "AKIDcapture";
  static final String SECRET_KEY = "capture-secret-key";

  static CapturedRequests load(String name) {
    try {
      JsonNode head = new ObjectMapper().readTree(resource(name + ".head.json"));
      return new CapturedRequests(
          head.get("method").asText(),
          head.get("url").asText(),
          head.get("headers"),
          resource(name + ".body"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] resource(String file) throws IOException {
    try (InputStream in = CapturedRequests.class.getResourceAsStream(file)) {
      if (in == null) {
        throw new IOException("no test resource dev/tempmedia/cloud/" + file);
      }
      return in.readAllBytes();
    }
  }

  String header(String name) {
    JsonNode v = headers.get(name.toLowerCase(Locale.ROOT));
    return v == null ? null : v.asText();
  }

  String boundary() {
    return Boundary.of(header("content-type")).orElseThrow();
  }

  TcbForm form() {
    return TcbForm.parse(boundary(), body, 1 << 20);
  }

  String path() {
    int q = url.indexOf('?');
    return q < 0 ? url : url.substring(0, q);
  }

  String query() {
    int q = url.indexOf('?');
    return q < 0 ? null : url.substring(q + 1);
  }

  long timestamp() {
    return Long.parseLong(header("x-timestamp"));
  }

  Tc3Signature.Request signed(TcbForm form) {
    return new Tc3Signature.Request(method, header("host"), path(), query(), this::header, form);
  }
}
