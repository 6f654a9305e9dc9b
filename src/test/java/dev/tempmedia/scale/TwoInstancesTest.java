package dev.tempmedia.scale;

import static dev.tempmedia.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tempmedia.clock.ServerClock;
import dev.tempmedia.state.redis.RedisStateStore;
import dev.tempmedia.testing.MediaSamples;
import dev.tempmedia.testing.Multipart;
import dev.tempmedia.testing.ScaledBackends;
import dev.tempmedia.testing.TestServer;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two instances sharing one S3 bucket and one Redis database act as one server. */
class TwoInstancesTest {
  static final AtomicInteger DEPLOYMENT = new AtomicInteger(4000);

  @TempDir
  Path dataA;

  @TempDir
  Path dataB;

  TestServer a;
  TestServer b;

  @BeforeEach
  void start() {
    ScaledBackends backends = ScaledBackends.get();
    int n = DEPLOYMENT.getAndDecrement();
    Map<String, String> shared = backends.sharedFlags("tempmedia-deployment-" + n, n);
    ServerClock clock = new ServerClock(Clock.systemUTC());
    a = new TestServer(dataA, shared, clock);
    b = new TestServer(dataB, shared, clock);
  }

  @AfterEach
  void stop() {
    // null when the test was skipped for want of redis-server
    if (a != null) {
      a.close();
    }
    if (b != null) {
      b.close();
    }
  }

  @Test
  void uploadOnADownloadsOnBAndTokensWorkEverywhere() {
    String token = a.token("official-account");
    byte[] image = MediaSamples.jpeg(200, 100);
    String id = json(a.upload(token, "image", "a.jpg", image)).get("media_id").asText();
    assertThat(b.download(token, id).body()).as("A's token and A's media on B").isEqualTo(image);

    String corp = b.token("wecom");
    byte[] doc = MediaSamples.random(12 * 1024 * 1024, 3); // a multipart S3 upload
    String docId = json(b.upload(corp, "file", "大文件.bin", doc)).get("media_id").asText();
    var down = a.download(corp, docId);
    assertThat(MediaSamples.sha256(down.body())).isEqualTo(MediaSamples.sha256(doc));
    assertThat(down.headers().firstValue("Content-disposition").orElseThrow())
        .contains("utf-8''%E5%A4%A7%E6%96%87%E4%BB%B6.bin");
  }

  @Test
  void anUploadByUrlJobIsSeenEverywhereAndTakenOverWhenItsInstanceStops(@TempDir Path files)
      throws Exception {
    byte[] bytes = MediaSamples.random(3 * 1024 * 1024, 12);
    java.nio.file.Files.write(files.resolve("slow.bin"), bytes);
    try (dev.tempmedia.testing.RangeFileServer origin =
        new dev.tempmedia.testing.RangeFileServer(files, "127.0.0.1")) {
      origin.throttle = 512 * 1024;
      String md5 = java.util.HexFormat.of()
          .formatHex(java.security.MessageDigest.getInstance("MD5").digest(bytes));
      String jobId = json(a.postJson(
              "/cgi-bin/media/upload_by_url?access_token=" + a.token("wecom"),
              "{\"scene\":1,\"type\":\"file\",\"filename\":\"slow.bin\",\"url\":\""
                  + origin.url("slow.bin") + "\",\"md5\":\"" + md5 + "\"}"))
          .path("jobid")
          .asText();
      while (origin.ranges.isEmpty()) {
        Thread.sleep(20);
      }
      String result = "/cgi-bin/media/get_upload_by_url_result?access_token=";
      String body = "{\"jobid\":\"" + jobId + "\"}";
      assertThat(
              json(b.postJson(result + b.token("wecom"), body)).path("status").asInt())
          .as("B sees A's running job")
          .isEqualTo(1);
      a.close();
      a = null;
      origin.throttle = 0;
      com.fasterxml.jackson.databind.JsonNode r;
      long until = System.nanoTime() + 120_000_000_000L;
      do {
        Thread.sleep(250);
        r = json(b.postJson(result + b.token("wecom"), body));
      } while (r.path("status").asInt() == 1 && System.nanoTime() < until);
      assertThat(r.path("status").asInt()).as(r.toString()).isEqualTo(2);
      assertThat(origin.ranges).as("B fetched it again").hasSizeGreaterThanOrEqualTo(2);
      String mediaId = r.path("detail").path("media_id").asText();
      assertThat(MediaSamples.sha256(b.download(b.token("wecom"), mediaId).body()))
          .isEqualTo(MediaSamples.sha256(bytes));
    }
  }

  @Test
  void rangesAreServedFromS3() {
    String token = a.token("official-account");
    byte[] image = MediaSamples.padTo(
        MediaSamples.jpeg(50, 50), dev.tempmedia.media.format.MediaFormat.JPEG, 300_000);
    String id = json(a.upload(token, "image", "a.jpg", image)).get("media_id").asText();
    var part = b.download(token, id, "Range", "bytes=100000-100099");
    assertThat(part.statusCode()).isEqualTo(206);
    assertThat(part.body()).isEqualTo(java.util.Arrays.copyOfRange(image, 100000, 100100));
  }

  @Test
  void aRotationOnAEndsTheOldTokenOnBAfterTheGrace() {
    String first = a.token("official-account");
    assertThat(check(b, first)).isZero();
    String second = a.token("official-account");
    assertThat(check(b, first)).as("inside the 5-minute grace").isZero();
    assertThat(check(b, second)).as("the new token at once").isZero();
    a.clock().advance(Duration.ofSeconds(301));
    assertThat(check(b, first)).isEqualTo(40001);
    assertThat(check(b, second)).isZero();
  }

  @Test
  void aForceRefreshOnBIsSeenByAWithinTheBound() throws Exception {
    String body = "{\"grant_type\":\"client_credential\",\"appid\":\"" + TestServer.OA
        + "\",\"secret\":\"" + TestServer.OA_SECRET + "\"%s}";
    String old = json(a.postJson("/cgi-bin/stable_token", body.formatted("")))
        .get("access_token")
        .asText();
    assertThat(check(a, old)).isZero(); // A has the line cached now
    String fresh = json(b.postJson(
            "/cgi-bin/stable_token", body.formatted(",\"force_refresh\":true")))
        .get("access_token")
        .asText();
    assertThat(fresh).isNotEqualTo(old);
    long deadline = System.currentTimeMillis() + RedisStateStore.CACHE_TTL_MILLIS + 1000;
    int code;
    do {
      code = check(a, old);
    } while (code == 0 && System.currentTimeMillis() < deadline);
    assertThat(code).as("the force_refresh reached A").isEqualTo(40001);
    assertThat(check(a, fresh)).isZero();
  }

  @Test
  void killingAMidUploadLosesNothingAcknowledged() throws Exception {
    String token = a.token("official-account");
    List<String> ids = new ArrayList<>();
    List<byte[]> files = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      byte[] f = MediaSamples.padTo(
          MediaSamples.png(10 + i, 10), dev.tempmedia.media.format.MediaFormat.PNG, 100_000 + i);
      files.add(f);
      ids.add(
          json(a.upload(token, "image", "f" + i + ".png", f)).get("media_id").asText());
    }
    int before = b.storedObjectCount();
    // An upload to A that is half sent when A goes away.
    try (Socket socket = new Socket("127.0.0.1", a.server().port())) {
      byte[] form = new Multipart()
          .media(
              "big.png",
              MediaSamples.padTo(
                  MediaSamples.png(5, 5), dev.tempmedia.media.format.MediaFormat.PNG, 8_000_000))
          .close();
      OutputStream out = socket.getOutputStream();
      out.write(("POST /cgi-bin/media/upload?type=image&access_token=" + token
              + " HTTP/1.1\r\nHost: x\r\n" + "Content-Type: " + new Multipart().contentType()
              + "\r\nContent-Length: " + form.length + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.write(form, 0, form.length / 2);
      out.flush();
      Thread.sleep(200);
      a.close();
    }
    for (int i = 0; i < ids.size(); i++) {
      assertThat(b.download(token, ids.get(i)).body())
          .as("acknowledged upload %d", i)
          .isEqualTo(files.get(i));
    }
    assertThat(b.storedObjectCount()).as("the cut upload is not visible").isEqualTo(before);
  }

  /** The errcode a download of a bogus id answers with this token: 40007 means the token passed. */
  static int check(TestServer server, String token) {
    JsonNode body = json(
        server.get("/cgi-bin/media/get?access_token=" + token + "&media_id=" + "A".repeat(64)));
    int code = body.get("errcode").asInt();
    return code == 40007 ? 0 : code;
  }
}
