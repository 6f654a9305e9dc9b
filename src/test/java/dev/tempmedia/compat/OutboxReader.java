package dev.tempmedia.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tempmedia.testing.TestServer;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the outbox compatibility tests read back through the operator routes (SPEC §10): the messages
 * an app sent to one recipient, and the inspector's record of the last refusal. Each send goes to a
 * recipient of its own ({@link #recipient}), so tests never see each other's messages.
 */
final class OutboxReader {
  private static final AtomicInteger NEXT = new AtomicInteger();

  private final TestServer server;

  OutboxReader(TestServer server) {
    this.server = server;
  }

  /** A recipient no other send of the run uses: {@code prefix}, the backend and a number. */
  static String recipient(String prefix, WxBackend backend) {
    return prefix + "_" + backend.name().toLowerCase(java.util.Locale.ROOT) + "_"
        + NEXT.incrementAndGet();
  }

  /**
   * The messages {@code appid} sent to {@code to} (to anyone when null), newest first, waiting up to
   * {@code wait} (not at all when null).
   */
  JsonNode messages(String appid, String to, String wait) {
    HttpResponse<String> r = server.get("/_tempmedia/messages?appid=" + enc(appid)
        + (to == null ? "" : "&to=" + enc(to)) + (wait == null ? "" : "&wait=" + wait));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode messages = TestServer.json(r).path("messages");
    assertThat(messages.isArray()).as(r.body()).isTrue();
    return messages;
  }

  /** The one message {@code appid} sent to {@code to}, with its identity and endpoint checked. */
  JsonNode only(String appid, String product, String endpoint, String to, String msgtype) {
    JsonNode messages = messages(appid, to, "PT5S");
    assertThat(messages).as("%s", messages).hasSize(1);
    JsonNode m = messages.get(0);
    assertThat(m.path("id").asText()).isNotBlank();
    assertThat(m.path("time").asText()).isNotBlank();
    assertThat(m.path("appid").asText()).isEqualTo(appid);
    assertThat(m.path("product").asText()).isEqualTo(product);
    assertThat(m.path("endpoint").asText()).isEqualTo(endpoint);
    assertThat(m.path("to").asText()).isEqualTo(to);
    assertThat(m.path("msgtype").asText()).isEqualTo(msgtype);
    assertThat(m.path("body").path("msgtype").asText()).isEqualTo(msgtype);
    return m;
  }

  /**
   * Nothing reached the outbox for {@code to}. The send answers only once a kept message is in the
   * outbox, so no wait is needed to see that a refused one is not.
   */
  void none(String appid, String to) {
    assertThat(messages(appid, to, null)).as("the refused message is not kept").isEmpty();
  }

  /**
   * The id of the newest message {@code appid} sent to anyone, or "" when it sent none: for refusals
   * with no recipient to filter by, unchanged before and after means nothing was kept.
   */
  String newest(String appid) {
    HttpResponse<String> r = server.get("/_tempmedia/messages?limit=1&appid=" + enc(appid));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return TestServer.json(r).path("messages").path(0).path("id").asText();
  }

  /** One entry of a message's media list: where the id was, and the upload it resolved to. */
  static void assertMedia(
      JsonNode entry,
      String field,
      String mediaId,
      String type,
      String contentType,
      byte[] uploaded) {
    assertThat(entry.path("field").asText()).isEqualTo(field);
    assertThat(entry.path("mediaId").asText()).isEqualTo(mediaId);
    assertThat(entry.path("type").asText()).isEqualTo(type);
    assertThat(entry.path("contentType").asText()).isEqualTo(contentType);
    assertThat(entry.path("size").asLong()).isEqualTo(uploaded.length);
  }

  /** The inspector's newest record of a call by {@code appid} (the refused send just made). */
  JsonNode lastRequest(String appid) {
    HttpResponse<String> r = server.get("/_tempmedia/requests?limit=1&appid=" + enc(appid));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode requests = TestServer.json(r).path("requests");
    assertThat(requests).as(r.body()).hasSize(1);
    return requests.get(0);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
