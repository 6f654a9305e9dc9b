package dev.tempmedia.it;

import static dev.tempmedia.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tempmedia.testing.MediaSamples;
import dev.tempmedia.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** SPEC §4 over real HTTP: headers, ranges, conditional requests, video links, isolation and expiry. */
class MediaDownloadTest {
  @TempDir
  Path data;

  TestServer server;
  String oaToken;
  /** The upload's created_at, the second its 72 hours count from. */
  long createdAt;

  byte[] file;
  String mediaId;

  @BeforeEach
  void start() {
    server = new TestServer(data);
    oaToken = server.token("official-account");
    file = MediaSamples.jpeg(300, 200);
    JsonNode uploaded = json(server.upload(oaToken, "image", "photo.jpg", file));
    mediaId = uploaded.get("media_id").asText();
    createdAt = uploaded.get("created_at").asLong();
  }

  @AfterEach
  void stop() {
    if (server != null) { // null when the start was skipped (no redis-server for the scale-out run)
      server.close();
    }
  }

  @Test
  void headersAreWeChats() {
    HttpResponse<byte[]> r = server.download(oaToken, mediaId);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).contains("image/jpeg");
    assertThat(r.headers().firstValue("Content-disposition"))
        .contains("attachment; filename=\"" + mediaId + ".jpg\"");
    assertThat(r.headers().firstValue("Cache-Control")).contains("no-cache, must-revalidate");
    assertThat(r.headers().firstValue("Content-Length")).contains(Integer.toString(file.length));
    assertThat(r.headers().firstValue("Accept-Ranges")).contains("bytes");
    assertThat(r.headers().firstValue("ETag")).contains(MediaSamples.etag(file));
    assertThat(r.body()).isEqualTo(file);
  }

  @Test
  void headerNamesAreSpelledAsWeChatSpellsThem() throws Exception {
    String head =
        rawHead("GET /cgi-bin/media/get?access_token=" + oaToken + "&media_id=" + mediaId);
    assertThat(head)
        .contains("\r\nContent-disposition: attachment; filename=\"" + mediaId + ".jpg\"\r\n")
        .contains("\r\nContent-Type: image/jpeg\r\n")
        .contains("\r\nCache-Control: no-cache, must-revalidate\r\n");
  }

  @Test
  void headAnswersTheHeadersOnly() {
    HttpResponse<byte[]> r = server.sendForBytes(HttpRequest.newBuilder(URI.create(
            server.url("/cgi-bin/media/get?access_token=" + oaToken + "&media_id=" + mediaId)))
        .method("HEAD", HttpRequest.BodyPublishers.noBody())
        .build());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Length")).contains(Integer.toString(file.length));
    assertThat(r.body()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "first bytes, bytes=0-99, 0, 99",
    "middle, bytes=1000-1999, 1000, 1999",
    "open-ended, bytes=1000-, 1000, -1",
    "suffix, bytes=-500, -500, -1",
    "past the end is clipped, bytes=1000-999999, 1000, -1",
    "one byte, bytes=7-7, 7, 7"
  })
  void singleRangesAnswer206(String name, String range, long first, long last) {
    long total = file.length;
    long from = first < 0 ? total + first : first;
    long to = last < 0 ? total - 1 : last;
    HttpResponse<byte[]> r = server.download(oaToken, mediaId, "Range", range);
    assertThat(r.statusCode()).isEqualTo(206);
    assertThat(r.headers().firstValue("Content-Range"))
        .contains("bytes " + from + "-" + to + "/" + total);
    assertThat(r.headers().firstValue("Content-Length")).contains(Long.toString(to - from + 1));
    assertThat(r.body()).isEqualTo(Arrays.copyOfRange(file, (int) from, (int) to + 1));
  }

  @Test
  void unsatisfiableRangeAnswers416() {
    HttpResponse<byte[]> r =
        server.download(oaToken, mediaId, "Range", "bytes=" + file.length + "-");
    assertThat(r.statusCode()).isEqualTo(416);
    assertThat(r.headers().firstValue("Content-Range")).contains("bytes */" + file.length);
  }

  @Test
  void multipleRangesAndNonsenseAnswerTheWholeBody() {
    assertThat(server.download(oaToken, mediaId, "Range", "bytes=0-1,5-9").statusCode())
        .isEqualTo(200);
    HttpResponse<byte[]> r = server.download(oaToken, mediaId, "Range", "pages=1-2");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(file);
  }

  @Test
  void ifRangeHonoursTheEtag() {
    String etag = MediaSamples.etag(file);
    HttpResponse<byte[]> same =
        server.download(oaToken, mediaId, "Range", "bytes=10-19", "If-Range", etag);
    assertThat(same.statusCode()).isEqualTo(206);
    assertThat(same.body()).isEqualTo(Arrays.copyOfRange(file, 10, 20));
    HttpResponse<byte[]> changed =
        server.download(oaToken, mediaId, "Range", "bytes=10-19", "If-Range", "\"other\"");
    assertThat(changed.statusCode()).isEqualTo(200);
    assertThat(changed.body()).isEqualTo(file);
  }

  @Test
  void ifNoneMatchAnswers304() {
    String etag = MediaSamples.etag(file);
    HttpResponse<byte[]> r = server.download(oaToken, mediaId, "If-None-Match", etag);
    assertThat(r.statusCode()).isEqualTo(304);
    assertThat(r.body()).isEmpty();
    assertThat(server.download(oaToken, mediaId, "If-None-Match", "\"nope\"").statusCode())
        .isEqualTo(200);
  }

  @Test
  void aConditionalHeaderOnSeveralLinesCountsAsOneListInAnyCase() throws Exception {
    String etag = MediaSamples.etag(file);
    String get = "GET /cgi-bin/media/get?access_token=" + oaToken + "&media_id=" + mediaId;
    // RFC 9110 §5.3: two lines of one list header are the list joined; the match is on the second.
    assertThat(rawHead(get, "If-None-Match: \"nope\"", "If-None-Match: " + etag))
        .startsWith("HTTP/1.1 304 ");
    assertThat(rawHead(get, "if-none-match: " + etag)).startsWith("HTTP/1.1 304 ");
    assertThat(rawHead(get, "RANGE: bytes=0-9", "If-Range: " + etag))
        .startsWith("HTTP/1.1 206 ")
        .contains("Content-Range: bytes 0-9/" + file.length + "\r\n");
    assertThat(rawHead(get, "If-None-Match: \"nope\"", "If-None-Match: \"other\""))
        .startsWith("HTTP/1.1 200 ");
  }

  // ---- video links -----------------------------------------------------------------------------

  @Test
  void officialAccountVideoAnswersASignedLinkThatServesTheBytesWithRanges() {
    byte[] video = MediaSamples.mp4(300_000);
    String id =
        json(server.upload(oaToken, "video", "clip.mp4", video)).get("media_id").asText();
    HttpResponse<String> r =
        server.get("/cgi-bin/media/get?access_token=" + oaToken + "&media_id=" + id);
    assertThat(r.headers().firstValue("Content-Type")).contains("application/json; encoding=utf-8");
    assertThat(r.headers().firstValue("Content-disposition")).isEmpty();
    JsonNode body = json(r);
    assertThat(TestServerFields.names(body)).containsExactly("video_url");
    String url = body.get("video_url").asText();
    assertThat(url)
        .startsWith(server.server().baseUrl() + "/_tempmedia/video/")
        .doesNotContain(oaToken);

    HttpResponse<byte[]> whole =
        server.sendForBytes(HttpRequest.newBuilder(URI.create(url)).GET().build());
    assertThat(whole.statusCode()).isEqualTo(200);
    assertThat(whole.headers().firstValue("Content-Type")).contains("video/mp4");
    assertThat(whole.body()).isEqualTo(video);
    HttpResponse<byte[]> part = server.sendForBytes(
        HttpRequest.newBuilder(URI.create(url)).header("Range", "bytes=100-199").build());
    assertThat(part.statusCode()).isEqualTo(206);
    assertThat(part.body()).isEqualTo(Arrays.copyOfRange(video, 100, 200));

    String tampered = url.replaceAll("expires=(\\d+)", "expires=9$1");
    assertThat(json(server.send(HttpRequest.newBuilder(URI.create(tampered)).build()))
            .get("errcode")
            .asInt())
        .isEqualTo(40007);
    server.clock().advance(Duration.ofHours(25));
    assertThat(json(server.send(HttpRequest.newBuilder(URI.create(url)).build()))
            .get("errcode")
            .asInt())
        .as("links live a day")
        .isEqualTo(40007);
  }

  @Test
  void wecomVideoIsServedDirectly() {
    String token = server.token("wecom");
    byte[] video = MediaSamples.mp4(20_000);
    String id =
        json(server.upload(token, "video", "clip.mp4", video)).get("media_id").asText();
    HttpResponse<byte[]> r = server.download(token, id);
    assertThat(r.headers().firstValue("Content-Type")).contains("video/mp4");
    assertThat(r.headers().firstValue("Content-disposition"))
        .contains("attachment; filename*=utf-8''clip.mp4; filename=\"clip.mp4\"");
    assertThat(r.body()).isEqualTo(video);
  }

  @Test
  void chineseWecomFileNameComesBackTheSame() {
    String token = server.token("wecom");
    byte[] doc = MediaSamples.random(2048, 5);
    String id =
        json(server.upload(token, "file", "季度报告 2026.pdf", doc)).get("media_id").asText();
    HttpResponse<byte[]> r = server.download(token, id);
    assertThat(r.headers().firstValue("Content-disposition"))
        .contains(
            "attachment; filename*=utf-8''%E5%AD%A3%E5%BA%A6%E6%8A%A5%E5%91%8A%202026.pdf; filename=\"%E5%AD%A3%E5%BA%A6%E6%8A%A5%E5%91%8A 2026.pdf\"");
    assertThat(r.headers().firstValue("Content-Type")).contains("application/pdf");
    assertThat(r.body()).isEqualTo(doc);
  }

  // ---- isolation and invalid ids
  // ------------------------------------------------------------------

  @Test
  void anotherAppsMediaIs40007() {
    HttpResponse<byte[]> r = server.download(server.token("mini-program"), mediaId);
    assertThat(r.headers().firstValue("Content-Type")).contains("application/json; encoding=utf-8");
    assertThat(json(new String(r.body(), StandardCharsets.UTF_8)).get("errcode").asInt())
        .isEqualTo(40007);
    HttpResponse<byte[]> wecom = server.download(server.token("wecom"), "3" + mediaId);
    assertThat(json(new String(wecom.body(), StandardCharsets.UTF_8))
            .get("errcode")
            .asInt())
        .isEqualTo(40007);
    assertThat(wecom.headers().firstValue("Error-Code")).contains("40007");
  }

  @Test
  void malformedAndForgedIdsAre40007() {
    for (String id : new String[] {
      "",
      "abc",
      mediaId.substring(1),
      mediaId + "x",
      "3" + mediaId,
      mediaId.substring(0, 40) + (mediaId.charAt(40) == 'A' ? 'B' : 'A') + mediaId.substring(41),
      "!".repeat(64)
    }) {
      HttpResponse<byte[]> r =
          server.download(oaToken, java.net.URLEncoder.encode(id, StandardCharsets.UTF_8));
      JsonNode body = json(new String(r.body(), StandardCharsets.UTF_8));
      assertThat(body.get("errcode").asInt()).as("id %s", id).isEqualTo(40007);
      assertThat(body.get("errmsg").asText()).startsWith("invalid media_id rid: ");
    }
  }

  @Test
  void aGenuineIdWhoseFileIsGoneIs40007() throws Exception {
    dev.tempmedia.auth.App app = server.server().apps().find(TestServer.OA).orElseThrow();
    assertThat(server
            .server()
            .media()
            .store()
            .delete(server.server().media().authorize(app, mediaId).blobKey()))
        .isTrue();
    JsonNode body =
        json(new String(server.download(oaToken, mediaId).body(), StandardCharsets.UTF_8));
    assertThat(body.get("errcode").asInt()).isEqualTo(40007);
  }

  @Test
  void downloadTokenErrors() {
    assertThat(json(server.get("/cgi-bin/media/get?media_id=" + mediaId))
            .get("errcode")
            .asInt())
        .isEqualTo(41001);
    assertThat(json(server.get("/cgi-bin/media/get?access_token=bad&media_id=" + mediaId))
            .get("errcode")
            .asInt())
        .isEqualTo(40001);
  }

  // ---- expiry and durability
  // ---------------------------------------------------------------------

  @Test
  void mediaExpiresAfterSeventyTwoHoursAndIsSweptAway() throws Exception {
    // Set from created_at, not advanced from now: the clock goes on in real time, and a second
    // boundary passed between the upload and an advance made the last live second already expired.
    server.clock().set(Instant.ofEpochSecond(createdAt + 259_199));
    String fresh = server.token("official-account");
    assertThat(server.download(fresh, mediaId).body()).isEqualTo(file);
    server.clock().advance(Duration.ofSeconds(1));
    JsonNode expired =
        json(new String(server.download(fresh, mediaId).body(), StandardCharsets.UTF_8));
    assertThat(expired.get("errcode").asInt()).isEqualTo(40007);

    assertThat(server.storedObjectCount()).isEqualTo(1);
    server.clock().advance(Duration.ofHours(1));
    assertThat(server.server().sweepExpiredMedia()).isEqualTo(1);
    assertThat(server.storedObjectCount()).isZero();
  }

  @Test
  void sweepKeepsWhatIsStillLive() throws Exception {
    server.clock().advance(Duration.ofHours(71));
    assertThat(server.server().sweepExpiredMedia()).isZero();
    assertThat(server.storedObjectCount()).isEqualTo(1);
  }

  @Test
  void mediaSurvivesARestart() {
    server.restart();
    assertThat(server.download(oaToken, mediaId).body()).isEqualTo(file);
  }

  @Test
  void unfinishedUploadsAreRemovedAtStart() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(server.local(), "a local-disk behaviour");
    Path incoming = data.resolve("media/.incoming");
    Files.write(incoming.resolve("leftover.part"), new byte[100]);
    server.restart();
    try (Stream<Path> s = Files.list(incoming)) {
      assertThat(s.toList()).isEmpty();
    }
    assertThat(server.download(oaToken, mediaId).body()).isEqualTo(file);
  }

  String rawHead(String requestLine, String... headerLines) throws Exception {
    try (java.net.Socket socket =
        new java.net.Socket("127.0.0.1", server.server().port())) {
      StringBuilder head = new StringBuilder(requestLine).append(" HTTP/1.1\r\nHost: x\r\n");
      for (String line : headerLines) {
        head.append(line).append("\r\n");
      }
      socket
          .getOutputStream()
          .write(head.append("Connection: close\r\n\r\n")
              .toString()
              .getBytes(StandardCharsets.US_ASCII));
      String all = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      return all.substring(0, all.indexOf("\r\n\r\n") + 2);
    }
  }

  static final class TestServerFields {
    static java.util.List<String> names(JsonNode node) {
      java.util.List<String> names = new java.util.ArrayList<>();
      node.fieldNames().forEachRemaining(names::add);
      return names;
    }
  }
}
