package dev.tempmedia.it;

import static dev.tempmedia.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tempmedia.media.format.MediaFormat;
import dev.tempmedia.testing.MediaSamples;
import dev.tempmedia.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every row of SPEC §3's limits table, in both rule sets: a file of exactly the limit is stored and
 * comes back byte-identical; one byte more is refused with the type's code.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MediaLimitsTest {
  static final int KB = 1024;
  static final int MB = 1024 * 1024;

  TestServer current;
  TestServer classic;

  @BeforeAll
  void start(@TempDir Path data) {
    current = new TestServer(data.resolve("current"));
    classic = new TestServer(data.resolve("classic"), Map.of("rules", "classic-2013"));
  }

  @AfterAll
  void stop() {
    current.close();
    classic.close();
  }

  /** rule set, product, type, limit, a sample of an accepted format, its format, the over-limit code. */
  Stream<Arguments> rows() {
    return Stream.of(
        row(
            "current",
            "official-account",
            "image",
            10 * MB,
            MediaSamples.jpeg(64, 64),
            MediaFormat.JPEG,
            40009),
        row(
            "current",
            "official-account",
            "voice",
            2 * MB,
            MediaSamples.mp3(50, 320),
            MediaFormat.MP3,
            40010),
        row(
            "current",
            "official-account",
            "video",
            10 * MB,
            MediaSamples.mp4(1024),
            MediaFormat.MP4,
            40011),
        row(
            "current",
            "official-account",
            "thumb",
            64 * KB,
            MediaSamples.jpeg(64, 64),
            MediaFormat.JPEG,
            40012),
        row(
            "current",
            "mini-program",
            "image",
            10 * MB,
            MediaSamples.png(64, 64),
            MediaFormat.PNG,
            40009),
        row("current", "wecom", "image", 10 * MB, MediaSamples.png(64, 64), MediaFormat.PNG, 40009),
        row("current", "wecom", "video", 10 * MB, MediaSamples.mp4(1024), MediaFormat.MP4, 40011),
        row(
            "current",
            "wecom",
            "file",
            20 * MB,
            MediaSamples.random(1000, 1),
            MediaFormat.UNKNOWN,
            45001),
        row(
            "classic-2013",
            "official-account",
            "image",
            128 * KB,
            MediaSamples.jpeg(64, 64),
            MediaFormat.JPEG,
            40009),
        row(
            "classic-2013",
            "official-account",
            "voice",
            256 * KB,
            MediaSamples.mp3(15, 128),
            MediaFormat.MP3,
            40010),
        row(
            "classic-2013",
            "official-account",
            "video",
            1 * MB,
            MediaSamples.mp4(1024),
            MediaFormat.MP4,
            40011),
        row(
            "classic-2013",
            "official-account",
            "thumb",
            64 * KB,
            MediaSamples.jpeg(64, 64),
            MediaFormat.JPEG,
            40012));
  }

  static Arguments row(
      String set,
      String product,
      String type,
      int limit,
      byte[] sample,
      MediaFormat format,
      int code) {
    return Arguments.of(set, product, type, limit, sample, format, code);
  }

  TestServer server(String set) {
    return set.equals("current") ? current : classic;
  }

  @ParameterizedTest(name = "{0} {1} {2}: {3} bytes pass")
  @MethodSource("rows")
  void atTheLimitIsStored(
      String set,
      String product,
      String type,
      int limit,
      byte[] sample,
      MediaFormat format,
      int code) {
    TestServer server = server(set);
    byte[] file = MediaSamples.padTo(sample, format, limit);
    String token = server.token(product);
    HttpResponse<String> up = server.upload(token, type, "at-limit." + format.extension(), file);
    JsonNode body = json(up);
    assertThat(body.path("errcode").asInt(0)).as(up.body()).isZero();
    String mediaId =
        body.path(type.equals("thumb") ? "thumb_media_id" : "media_id").asText();
    HttpResponse<byte[]> down = server.downloadFollowingVideoUrl(token, mediaId);
    assertThat(down.statusCode()).isEqualTo(200);
    assertThat(down.headers().firstValue("Content-Length")).contains(Integer.toString(limit));
    assertThat(MediaSamples.sha256(down.body())).isEqualTo(MediaSamples.sha256(file));
  }

  @ParameterizedTest(name = "{0} {1} {2}: {3}+1 bytes answer {6}")
  @MethodSource("rows")
  void oneByteOverIsRefused(
      String set,
      String product,
      String type,
      int limit,
      byte[] sample,
      MediaFormat format,
      int code) {
    TestServer server = server(set);
    byte[] file = MediaSamples.padTo(sample, format, limit + 1L);
    int before = server.storedObjectCount();
    HttpResponse<String> up =
        server.upload(server.token(product), type, "over." + format.extension(), file);
    assertThat(json(up).path("errcode").asInt()).as(up.body()).isEqualTo(code);
    assertThat(server.storedObjectCount())
        .as("nothing of a refused upload is kept")
        .isEqualTo(before);
  }

  /**
   * WeCom voice is AMR only and at most 60 s: AMR's highest bitrate makes a minute about 180 KB, so
   * the 2 MB limit is never the one that bites. A full minute passes; a longer one, or 2 MB + 1, is 40010.
   */
  @Test
  void wecomVoiceIsBoundByItsMinute() {
    String token = current.token("wecom");
    JsonNode ok = json(current.upload(token, "voice", "minute.amr", MediaSamples.amr(60)));
    assertThat(ok.path("errcode").asInt()).isZero();
    assertThat(json(current.upload(token, "voice", "long.amr", MediaSamples.amr(60.02)))
            .path("errcode")
            .asInt())
        .isEqualTo(40010);
    byte[] big = new byte[2 * MB + 1];
    System.arraycopy(MediaSamples.amr(1), 0, big, 0, 6);
    assertThat(
            json(current.upload(token, "voice", "big.amr", big)).path("errcode").asInt())
        .isEqualTo(40010);
  }

  @Test
  void voiceOverSixtySecondsIsRefusedInBothSets() {
    for (TestServer server : new TestServer[] {current, classic}) {
      String token = server.token("official-account");
      assertThat(json(server.upload(token, "voice", "a.amr", MediaSamples.amr(60)))
              .path("errcode")
              .asInt(0))
          .isZero();
      assertThat(json(server.upload(token, "voice", "a.amr", MediaSamples.amr(61)))
              .path("errcode")
              .asInt())
          .isEqualTo(40010);
      assertThat(json(server.upload(token, "voice", "a.mp3", MediaSamples.mp3(61, 32)))
              .path("errcode")
              .asInt())
          .isEqualTo(40010);
    }
  }

  @Test
  void ruleSetsAreChosenPerApp(@TempDir Path dir) {
    String yaml = """
        apps:
          - { product: official-account, appid: wxclassic0000001, secret: s3cr3t-classic-000000000000001, rules: classic-2013 }
          - { product: official-account, appid: wxcurrent0000001, secret: s3cr3t-current-000000000000001 }
        """;
    try (TestServer server = TestServer.withConfig(dir.resolve("data"), yaml)) {
      byte[] image = MediaSamples.padTo(MediaSamples.jpeg(32, 32), MediaFormat.JPEG, 200 * KB);
      String classicToken = json(server.get(
              "/cgi-bin/token?grant_type=client_credential&appid=wxclassic0000001"
                  + "&secret=s3cr3t-classic-000000000000001"))
          .get("access_token")
          .asText();
      String currentToken = json(server.get(
              "/cgi-bin/token?grant_type=client_credential&appid=wxcurrent0000001"
                  + "&secret=s3cr3t-current-000000000000001"))
          .get("access_token")
          .asText();
      assertThat(json(server.upload(classicToken, "image", "a.jpg", image))
              .path("errcode")
              .asInt())
          .isEqualTo(40009);
      assertThat(json(server.upload(classicToken, "image", "a.png", MediaSamples.png(8, 8)))
              .path("errcode")
              .asInt())
          .as("classic images are JPEG only")
          .isEqualTo(40005);
      assertThat(json(server.upload(currentToken, "image", "a.jpg", image)).has("media_id"))
          .isTrue();
    }
  }
}
