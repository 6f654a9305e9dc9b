package dev.tempmedia.scale;

import static dev.tempmedia.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tempmedia.testing.MediaSamples;
import dev.tempmedia.testing.PriorKnowledgeH2;
import dev.tempmedia.testing.ScaledBackends;
import dev.tempmedia.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Downloads on S3 served from the bytes an instance holds in memory ({@code storage.s3.memoryCacheMb},
 * 64 by default) answer exactly what the relay from S3 answers (SPEC §4: headers, ranges,
 * conditionals, HEAD, HTTP/2), and are really served from memory: objects removed from the bucket
 * behind the server's back are still served while held, and only while held.
 */
class HeldDownloadsTest {
  /** The headers of a download that do not name the media_id (Content-disposition does). */
  static final List<String> HEADERS = List.of(
      "Content-Type", "Content-Length", "Content-Range", "ETag", "Accept-Ranges", "Cache-Control");

  @TempDir
  Path heldData;

  @TempDir
  Path relayedData;

  TestServer held;
  TestServer relayed;

  @BeforeEach
  void start() {
    held = new TestServer(heldData, ScaledBackends.get().newServerFlags());
    Map<String, String> none = new HashMap<>(ScaledBackends.get().newServerFlags());
    none.put("storage.s3.memoryCacheMb", "0");
    relayed = new TestServer(relayedData, none);
  }

  @AfterEach
  void stop() {
    if (held != null) {
      held.close();
    }
    if (relayed != null) {
      relayed.close();
    }
  }

  @Test
  void everyDownloadFromMemoryAnswersWhatTheRelayFromS3Answers() throws Exception {
    byte[] image = MediaSamples.jpeg(400, 300);
    Upload onHeld = Upload.of(held, image);
    Upload onRelayed = Upload.of(relayed, image);
    String etag = onHeld.download().headers().firstValue("ETag").orElseThrow();

    List<String[]> variants = List.of(
        new String[0],
        new String[] {"Range", "bytes=10-99"},
        new String[] {"Range", "bytes=-5"},
        new String[] {"Range", "bytes=" + (image.length - 3) + "-"},
        new String[] {"Range", "bytes=" + image.length + "-"},
        new String[] {"If-None-Match", etag},
        new String[] {"If-Range", etag, "Range", "bytes=0-0"},
        new String[] {"If-Range", "\"other\"", "Range", "bytes=0-0"});
    for (String[] headers : variants) {
      HttpResponse<byte[]> fromMemory = onHeld.download(headers);
      HttpResponse<byte[]> fromS3 = onRelayed.download(headers);
      String what = String.join(" ", headers);
      assertThat(fromMemory.statusCode()).as(what).isEqualTo(fromS3.statusCode());
      assertThat(fromMemory.body()).as(what).isEqualTo(fromS3.body());
      for (String name : HEADERS) {
        assertThat(fromMemory.headers().allValues(name))
            .as(what + ": " + name)
            .isEqualTo(fromS3.headers().allValues(name));
      }
    }
    assertThat(onHeld.download("Range", "bytes=10-99").body())
        .isEqualTo(java.util.Arrays.copyOfRange(image, 10, 100));

    HttpResponse<byte[]> head = held.sendForBytes(
        onHeld.request().method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
    assertThat(head.headers().firstValue("Content-Length"))
        .hasValue(Integer.toString(image.length));

    try (PriorKnowledgeH2 h2 = new PriorKnowledgeH2()) {
      URI uri = onHeld.request().build().uri();
      PriorKnowledgeH2.Answer first = h2.get(uri);
      PriorKnowledgeH2.Answer second = h2.get(uri, "Range", "bytes=0-9");
      assertThat(first.version()).isEqualTo(io.vertx.core.http.HttpVersion.HTTP_2);
      assertThat(first.status()).isEqualTo(200);
      assertThat(first.body()).isEqualTo(image);
      assertThat(first.headers().get("Content-Length")).isEqualTo(Integer.toString(image.length));
      assertThat(second.status()).isEqualTo(206);
      assertThat(second.headers().get("Content-Range")).isEqualTo("bytes 0-9/" + image.length);
      assertThat(second.body()).isEqualTo(java.util.Arrays.copyOfRange(image, 0, 10));
    }
  }

  @Test
  void aHeldObjectIsServedFromMemoryAndALargerOneFromS3() {
    byte[] small = MediaSamples.random(1 << 20, 1); // the largest held
    byte[] large = MediaSamples.random((1 << 20) + 1, 2);
    Upload heldSmall = Upload.file(held, small);
    Upload heldLarge = Upload.file(held, large);
    Upload relayedSmall = Upload.file(relayed, small);
    for (Upload u : List.of(heldSmall, heldLarge, relayedSmall)) {
      assertThat(u.download().body()).isEqualTo(u.bytes); // opened once: held if it qualifies
    }

    emptyBucket(held);
    emptyBucket(relayed);

    assertThat(heldSmall.download().body())
        .as("held: served from memory though gone from the bucket")
        .isEqualTo(small);
    assertThat(heldSmall.download("Range", "bytes=5-9").body())
        .isEqualTo(java.util.Arrays.copyOfRange(small, 5, 10));
    for (Upload u : List.of(heldLarge, relayedSmall)) {
      HttpResponse<byte[]> gone = u.download();
      assertThat(gone.headers().firstValue("Content-Type").orElse(""))
          .as("not held: read from S3, where it is gone")
          .startsWith("application/json");
      assertThat(json(new String(gone.body())).get("errcode").asInt()).isNotZero();
    }
  }

  /** Removes every object of the server's bucket directly, as another party would. */
  static void emptyBucket(TestServer server) {
    var s3Config = server.server().config().storage().s3();
    try (S3Client s3 = S3Client.builder()
        .endpointOverride(URI.create(s3Config.endpoint()))
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(ScaledBackends.ACCESS_KEY, ScaledBackends.SECRET_KEY)))
        .build()) {
      for (S3Object o :
          s3.listObjectsV2Paginator(r -> r.bucket(s3Config.bucket())).contents()) {
        s3.deleteObject(r -> r.bucket(s3Config.bucket()).key(o.key()));
      }
    }
  }

  /** One uploaded media and how to download it. */
  record Upload(TestServer server, String token, String mediaId, byte[] bytes) {
    static Upload of(TestServer server, byte[] image) {
      String token = server.token("official-account");
      String id =
          json(server.upload(token, "image", "a.jpg", image)).get("media_id").asText();
      return new Upload(server, token, id, image);
    }

    static Upload file(TestServer server, byte[] bytes) {
      String token = server.token("wecom");
      String id =
          json(server.upload(token, "file", "a.bin", bytes)).get("media_id").asText();
      return new Upload(server, token, id, bytes);
    }

    HttpResponse<byte[]> download(String... headers) {
      return server.download(token, mediaId, headers);
    }

    HttpRequest.Builder request() {
      return HttpRequest.newBuilder(URI.create(server.url(dev.tempmedia.http.WeChatApi.MEDIA_GET
          + "?access_token=" + token + "&media_id=" + mediaId)));
    }
  }
}
