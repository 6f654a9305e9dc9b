package dev.tempmedia.admin;

import static dev.tempmedia.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tempmedia.testing.MediaSamples;
import dev.tempmedia.testing.Multipart;
import dev.tempmedia.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An app's live media through the operator namespace: list, purge, and upload/download on its behalf. */
class MediaAdminRoutesTest {
  @TempDir
  Path data;

  TestServer server;
  String token;

  @BeforeEach
  void start() {
    server = new TestServer(data);
    token = server.token("official-account");
  }

  @AfterEach
  void stop() {
    if (server != null) { // null when the start was skipped (no redis-server for the scale-out run)
      server.close();
    }
  }

  JsonNode media(String appid) {
    HttpResponse<String> r = server.get("/_tempmedia/media?appid=" + appid);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return json(r).path("media");
  }

  String upload(String type, String name, byte[] bytes) {
    return json(server.upload(token, type, name, bytes)).path("media_id").asText();
  }

  @Test
  void listsLiveMediaNewestFirstWithEveryField() {
    byte[] jpeg = MediaSamples.jpeg(30, 30);
    String first = upload("image", "first.jpg", jpeg);
    server.clock().advance(Duration.ofSeconds(2));
    String second = upload("voice", "hello.amr", MediaSamples.amr(1));
    JsonNode list = media(TestServer.OA);
    assertThat(list).hasSize(2);
    assertThat(list.get(0).path("mediaId").asText()).isEqualTo(second);
    JsonNode image = list.get(1);
    assertThat(image.path("mediaId").asText()).isEqualTo(first);
    assertThat(image.path("type").asText()).isEqualTo("image");
    assertThat(image.path("size").asLong()).isEqualTo(jpeg.length);
    assertThat(image.path("filename").asText()).isEqualTo("first.jpg");
    assertThat(image.path("contentType").asText()).isEqualTo("image/jpeg");
    Instant created = Instant.parse(image.path("createdAt").asText());
    assertThat(Instant.parse(image.path("expiresAt").asText()))
        .isEqualTo(created.plus(Duration.ofDays(3)));
    assertThat(list.get(0).path("contentType").asText()).isEqualTo("audio/amr");
  }

  @Test
  void listsOnlyTheAppsOwnMediaAndNotExpiredMedia() {
    upload("image", "a.jpg", MediaSamples.jpeg(9, 9));
    assertThat(media(TestServer.MP)).isEmpty();
    server.clock().advance(Duration.ofHours(72));
    assertThat(media(TestServer.OA)).isEmpty();
  }

  @Test
  void purgeDeletesTheObjectAndTheDownloadSaysItIsGone() {
    String id = upload("image", "a.jpg", MediaSamples.jpeg(9, 9));
    HttpResponse<String> purged =
        server.call("DELETE", "/_tempmedia/media/" + id + "?appid=" + TestServer.OA, null);
    assertThat(purged.statusCode()).isEqualTo(200);
    assertThat(json(purged).path("purged").asBoolean()).isTrue();
    assertThat(server.storedObjectCount()).isZero();
    HttpResponse<byte[]> gone = server.download(token, id);
    assertThat(json(new String(gone.body())).path("errcode").asInt()).isEqualTo(40007);
    JsonNode seen =
        json(server.get("/_tempmedia/requests?errcode=40007")).path("requests").get(0);
    assertThat(seen.path("diagnosis").asText()).contains("its file is gone").contains("purged");
    assertThat(server
            .call("DELETE", "/_tempmedia/media/" + id + "?appid=" + TestServer.OA, null)
            .statusCode())
        .isEqualTo(404);
  }

  @Test
  void aMediaDownloadedJustBeforeItsPurgeIsGoneRightAfter() throws Exception {
    byte[] jpeg = MediaSamples.jpeg(9, 9);
    String id = upload("image", "a.jpg", jpeg);
    // twice over HTTP/1.1 (the path that sends an open file): its metadata and its open file are
    // both cached now
    java.net.http.HttpClient http1 = java.net.http.HttpClient.newBuilder()
        .version(java.net.http.HttpClient.Version.HTTP_1_1)
        .build();
    java.net.http.HttpRequest get = java.net.http.HttpRequest.newBuilder(java.net.URI.create(
            server.url("/cgi-bin/media/get?access_token=" + token + "&media_id=" + id)))
        .build();
    for (int i = 0; i < 2; i++) {
      HttpResponse<byte[]> r = http1.send(get, HttpResponse.BodyHandlers.ofByteArray());
      assertThat(r.version()).isEqualTo(java.net.http.HttpClient.Version.HTTP_1_1);
      assertThat(r.body()).isEqualTo(jpeg);
    }
    assertThat(server
            .call("DELETE", "/_tempmedia/media/" + id + "?appid=" + TestServer.OA, null)
            .statusCode())
        .isEqualTo(200);
    HttpResponse<byte[]> gone = server.download(token, id);
    assertThat(json(new String(gone.body())).path("errcode").asInt()).isEqualTo(40007);
    if (server.local()) {
      // Every download gave its file back, and the purge dropped the cache's hold: the server keeps
      // no descriptor of the deleted file (its disk space is free).
      assertThat(openUnder(server.dataDir().resolve("media"))).isEmpty();
    }
  }

  /** The files under {@code dir} this process (the server runs in it) holds open, polled for 5 s. */
  private static java.util.List<String> openUnder(java.nio.file.Path dir) throws Exception {
    String prefix = dir.toRealPath().toString();
    java.util.List<String> open = java.util.List.of();
    for (long until = System.nanoTime() + 5_000_000_000L; System.nanoTime() < until; ) {
      java.util.List<String> now = new java.util.ArrayList<>();
      try (var fds = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/fd"))) {
        for (java.nio.file.Path fd : fds.toList()) {
          try {
            String target = java.nio.file.Files.readSymbolicLink(fd).toString();
            if (target.startsWith(prefix)) {
              now.add(target);
            }
          } catch (java.io.IOException closedMeanwhile) {
            // the listing's own descriptor, or one closed since
          }
        }
      }
      open = now;
      if (open.isEmpty()) {
        return open;
      }
      Thread.sleep(50); // a download's lease is given back just after its last byte is written
    }
    return open;
  }

  @Test
  void purgeOfAnotherAppsMediaIsRefusedAndDeletesNothing() {
    String id = upload("image", "a.jpg", MediaSamples.jpeg(9, 9));
    HttpResponse<String> r =
        server.call("DELETE", "/_tempmedia/media/" + id + "?appid=" + TestServer.MP, null);
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(json(r).path("error").asText()).contains("media belongs to");
    assertThat(server.storedObjectCount()).isEqualTo(1);
  }

  @Test
  void uploadAndDownloadOnAnAppsBehalfWithoutItsSecret() throws Exception {
    byte[] png = MediaSamples.png(25, 25);
    Multipart form = new Multipart().media("drop.png", png);
    HttpResponse<String> up = server.uploadRaw(
        "/_tempmedia/media?appid=" + TestServer.CORP + "&type=image",
        form.contentType(),
        form.close());
    JsonNode answer = json(up);
    assertThat(answer.path("errcode").asInt()).isZero();
    String id = answer.path("media_id").asText();
    assertThat(id).hasSize(65).startsWith("3");
    HttpResponse<byte[]> down = server.sendForBytes(HttpRequest.newBuilder(
            URI.create(server.url("/_tempmedia/media/" + id + "?appid=" + TestServer.CORP)))
        .GET()
        .build());
    assertThat(down.statusCode()).isEqualTo(200);
    assertThat(down.body()).isEqualTo(png);
    assertThat(down.headers().firstValue("Content-Type")).hasValue("image/png");
    // The WeCom app itself sees it through the WeChat API too.
    assertThat(server.download(server.token("wecom"), id).body()).isEqualTo(png);
    JsonNode recorded =
        json(server.get("/_tempmedia/requests?appid=" + TestServer.CORP)).path("requests");
    assertThat(recorded)
        .anySatisfy(r -> assertThat(r.path("path").asText()).isEqualTo("/_tempmedia/media"));
  }

  @Test
  void aVideoDownloadsAsBytesNotAsALink() {
    byte[] mp4 = MediaSamples.mp4(4096);
    String id = upload("video", "v.mp4", mp4);
    HttpResponse<byte[]> down = server.sendForBytes(HttpRequest.newBuilder(
            URI.create(server.url("/_tempmedia/media/" + id + "?appid=" + TestServer.OA)))
        .GET()
        .build());
    assertThat(down.body()).isEqualTo(mp4);
  }

  @Test
  void aRefusedOperatorUploadCarriesItsDiagnosis() {
    Multipart form = new Multipart().media("t.png", MediaSamples.png(9, 9));
    HttpResponse<String> r = server.uploadRaw(
        "/_tempmedia/media?appid=" + TestServer.OA + "&type=thumb",
        form.contentType(),
        form.close());
    JsonNode answer = json(r);
    assertThat(answer.path("errcode").asInt()).isNotZero();
    assertThat(answer.path("diagnosis").asText()).contains("thumb");
    assertThat(server.storedObjectCount()).isZero();
  }

  @Test
  void unknownOrMissingAppsAreRefused() {
    assertThat(server.get("/_tempmedia/media").statusCode()).isEqualTo(400);
    assertThat(server.get("/_tempmedia/media?appid=wx9999999999999999").statusCode())
        .isEqualTo(404);
    Multipart form = new Multipart().media("a.jpg", MediaSamples.jpeg(9, 9));
    assertThat(server
            .uploadRaw(
                "/_tempmedia/media?appid=wx9999999999999999&type=image",
                form.contentType(),
                form.close())
            .statusCode())
        .isEqualTo(404);
  }
}
