package dev.tempmedia.it;

import static dev.tempmedia.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tempmedia.admin.OperatorApi;
import dev.tempmedia.media.format.MediaFormat;
import dev.tempmedia.media.format.MediaInspector;
import dev.tempmedia.testing.MediaSamples;
import dev.tempmedia.testing.Prerequisites;
import dev.tempmedia.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SPEC §13, seed 004: on the classic-2013 rules (or with {@code voice.mp3Delivery: amr}) a voice
 * uploaded as MP3 downloads as AMR-NB of the same duration, encoded by the real ffmpeg; with
 * {@code original} it downloads as uploaded.
 */
class VoiceAmrDeliveryTest {
  private static final byte[] AMR_MAGIC = "#!AMR\n".getBytes(StandardCharsets.US_ASCII);

  @TempDir
  static Path samples;

  static byte[] mp3Of3s;
  static byte[] mp3Of59s;

  @TempDir
  Path data;

  TestServer server;

  @BeforeAll
  static void makeSamples() throws Exception {
    Prerequisites.require("ffmpeg", "apt-get install ffmpeg libavcodec-extra");
    mp3Of3s = MediaSamples.sineMp3(samples, 3);
    mp3Of59s = MediaSamples.sineMp3(samples, 59);
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {3, 59})
  void mp3VoiceOnClassicRulesDownloadsAsAmrOfTheSameDuration(int seconds) {
    server = new TestServer(data, Map.of("rules", "classic-2013"));
    byte[] mp3 = seconds == 3 ? mp3Of3s : mp3Of59s;
    String token = server.token("official-account");
    String mediaId = upload(token, mp3);

    HttpResponse<byte[]> r = server.download(token, mediaId);

    assertThat(r.statusCode()).isEqualTo(200);
    byte[] amr = r.body();
    assertThat(Arrays.copyOf(amr, AMR_MAGIC.length)).isEqualTo(AMR_MAGIC);
    assertThat(r.headers().firstValue("Content-Type")).contains("audio/amr");
    assertThat(r.headers().firstValue("Content-disposition"))
        .contains("attachment; filename=\"" + mediaId + ".amr\"");
    assertThat(r.headers().firstValue("Content-Length")).contains(Integer.toString(amr.length));
    assertThat(r.headers().firstValue("ETag"))
        .contains(MediaSamples.etag(amr))
        .isNotEqualTo(java.util.Optional.of(MediaSamples.etag(mp3)));
    assertThat(inspect(amr).format()).isEqualTo(MediaFormat.AMR);
    long mp3Millis = inspect(mp3).audioMillis();
    assertThat(mp3Millis).isBetween(seconds * 1000L - 100, seconds * 1000L + 100);
    assertThat(inspect(amr).audioMillis()).isBetween(mp3Millis - 100, mp3Millis + 100);
  }

  @Test
  void rangesEtagAndConditionsDescribeTheAmr() {
    server = new TestServer(data, Map.of("voice.mp3Delivery", "amr"));
    String token = server.token("official-account");
    String mediaId = upload(token, mp3Of3s);
    byte[] amr = server.download(token, mediaId).body();
    String etag = MediaSamples.etag(amr);

    HttpResponse<byte[]> part = server.download(token, mediaId, "Range", "bytes=100-499");
    assertThat(part.statusCode()).isEqualTo(206);
    assertThat(part.headers().firstValue("Content-Range")).contains("bytes 100-499/" + amr.length);
    assertThat(part.body()).isEqualTo(Arrays.copyOfRange(amr, 100, 500));

    HttpResponse<byte[]> tail = server.download(token, mediaId, "Range", "bytes=-64");
    assertThat(tail.statusCode()).isEqualTo(206);
    assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(amr, amr.length - 64, amr.length));

    HttpResponse<byte[]> beyond =
        server.download(token, mediaId, "Range", "bytes=" + amr.length + "-");
    assertThat(beyond.statusCode()).isEqualTo(416);
    assertThat(beyond.headers().firstValue("Content-Range")).contains("bytes */" + amr.length);

    HttpResponse<byte[]> same = server.download(token, mediaId, "If-None-Match", etag);
    assertThat(same.statusCode()).isEqualTo(304);
    HttpResponse<byte[]> mp3Etag =
        server.download(token, mediaId, "If-None-Match", MediaSamples.etag(mp3Of3s));
    assertThat(mp3Etag.statusCode()).isEqualTo(200);
  }

  @Test
  void theOperatorDownloadServesTheAmrToo() {
    server = new TestServer(data, Map.of("rules", "classic-2013"));
    String mediaId = upload(server.token("official-account"), mp3Of3s);

    HttpResponse<byte[]> r = server.sendForBytes(HttpRequest.newBuilder(
            URI.create(server.url(OperatorApi.MEDIA + "/" + mediaId + "?appid=" + TestServer.OA)))
        .GET()
        .build());

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).contains("audio/amr");
    assertThat(Arrays.copyOf(r.body(), AMR_MAGIC.length)).isEqualTo(AMR_MAGIC);
  }

  @Test
  void theOperatorListShowsTheUploadOnceAndAPurgeRemovesItsAmr() {
    server = new TestServer(data, Map.of("rules", "classic-2013"));
    String token = server.token("official-account");
    String mediaId = upload(token, mp3Of3s);
    server.download(token, mediaId); // the rendition exists once this has answered

    var list = json(server.get(OperatorApi.MEDIA + "?appid=" + TestServer.OA));
    assertThat(list.toString()).contains(mediaId);
    assertThat(list.path("media").size()).isEqualTo(1);
    assertThat(server.storedObjectCount()).isEqualTo(2);

    server.call("DELETE", OperatorApi.MEDIA + "/" + mediaId + "?appid=" + TestServer.OA, null);
    assertThat(server.storedObjectCount()).isZero();
  }

  @Test
  void theAmrIsMadeInTheBackgroundAfterTheUploadIsAcknowledged() throws InterruptedException {
    server = new TestServer(data, Map.of("rules", "classic-2013"));
    upload(server.token("official-account"), mp3Of3s);

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (server.storedObjectCount() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(server.storedObjectCount())
        .as("the MP3 and, without any download, its AMR")
        .isEqualTo(2);
  }

  @Test
  void withOriginalTheMp3ComesBackUnchanged() {
    server = new TestServer(data, Map.of("rules", "classic-2013", "voice.mp3Delivery", "original"));
    String token = server.token("official-account");
    String mediaId = upload(token, mp3Of3s);

    HttpResponse<byte[]> r = server.download(token, mediaId);

    assertThat(r.body()).isEqualTo(mp3Of3s);
    assertThat(server.storedObjectCount()).as("no AMR is made").isEqualTo(1);
    assertThat(r.headers().firstValue("Content-Type")).contains("audio/mpeg");
    assertThat(r.headers().firstValue("Content-disposition"))
        .contains("attachment; filename=\"" + mediaId + ".mp3\"");
  }

  @Test
  void theCurrentRulesDeliverTheMp3AsUploaded() {
    server = new TestServer(data);
    String token = server.token("official-account");
    String mediaId = upload(token, mp3Of3s);

    assertThat(server.download(token, mediaId).body()).isEqualTo(mp3Of3s);
  }

  @Test
  void anAmrUploadIsServedAsIs() {
    server = new TestServer(data, Map.of("rules", "classic-2013"));
    String token = server.token("official-account");
    byte[] amr = MediaSamples.amr(3);
    String mediaId = upload(token, amr);

    HttpResponse<byte[]> r = server.download(token, mediaId);

    assertThat(r.body()).isEqualTo(amr);
    assertThat(r.headers().firstValue("ETag")).contains(MediaSamples.etag(amr));
  }

  private String upload(String token, byte[] voice) {
    HttpResponse<String> r = server.upload(token, "voice", "voice.mp3", voice);
    assertThat(json(r).path("media_id").asText()).as(r.body()).hasSize(64);
    return json(r).path("media_id").asText();
  }

  private static MediaInspector inspect(byte[] bytes) {
    MediaInspector inspector = new MediaInspector();
    inspector.update(ByteBuffer.wrap(bytes));
    inspector.finish();
    return inspector;
  }
}
