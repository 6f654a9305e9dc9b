package dev.tempmedia.it;

import static dev.tempmedia.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tempmedia.admin.OperatorApi;
import dev.tempmedia.compat.WxBackend;
import dev.tempmedia.http.WeChatApi;
import dev.tempmedia.testing.MediaSamples;
import dev.tempmedia.testing.Multipart;
import dev.tempmedia.testing.Prerequisites;
import dev.tempmedia.testing.TestServer;
import java.io.File;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * SPEC §12, {@code media/get/jssdk}: a voice the operator makes as the JS-SDK's wx.uploadVoice would
 * downloads from {@code media/get} as AMR and from {@code media/get/jssdk} as 16 kHz Speex in Ogg,
 * both encoded by the real ffmpeg; WxJava's JS-SDK downloads get the same bytes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JssdkVoiceTest {
  private static final byte[] AMR_MAGIC = "#!AMR\n".getBytes(StandardCharsets.US_ASCII);

  TestServer server;
  byte[] mp3;

  @BeforeAll
  void start(@TempDir Path data, @TempDir Path samples) throws Exception {
    Prerequisites.require("ffmpeg", "apt-get install ffmpeg libavcodec-extra");
    mp3 = MediaSamples.sineMp3(samples, 3);
    server = new TestServer(data);
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void anOfficialAccountVoiceIsAmrOnGetAndSpeexOnGetJssdk() {
    String token = server.token("official-account");
    String serverId = makeVoice(TestServer.OA, "audio/mpeg", mp3);
    assertThat(serverId).hasSize(64);

    HttpResponse<byte[]> amr = server.download(token, serverId);
    assertThat(amr.statusCode()).isEqualTo(200);
    assertThat(amr.headers().firstValue("Content-Type")).contains("audio/amr");
    assertThat(Arrays.copyOf(amr.body(), AMR_MAGIC.length)).isEqualTo(AMR_MAGIC);

    HttpResponse<byte[]> speex = jssdk(token, serverId);
    assertSpeex(speex, serverId);
  }

  @Test
  void aWecomVoiceMadeFromAMultipartFormIsSpeexToo() {
    String token = server.token("wecom");
    Multipart form = new Multipart().media("voice.mp3", mp3);
    String serverId = makeVoice(TestServer.CORP, form.contentType(), form.close());
    assertThat(serverId).hasSize(65).startsWith("3");

    HttpResponse<byte[]> amr = server.download(token, serverId);
    assertThat(amr.headers().firstValue("Content-Type")).contains("audio/amr");
    assertThat(Arrays.copyOf(amr.body(), AMR_MAGIC.length)).isEqualTo(AMR_MAGIC);
    assertSpeex(jssdk(token, serverId), serverId);
  }

  @Test
  void rangesAndHeadDescribeTheSpeex() {
    String token = server.token("official-account");
    String serverId = makeVoice(TestServer.OA, "audio/mpeg", mp3);
    byte[] speex = jssdk(token, serverId).body();

    HttpResponse<byte[]> part = jssdk(token, serverId, "Range", "bytes=10-99");
    assertThat(part.statusCode()).isEqualTo(206);
    assertThat(part.headers().firstValue("Content-Range")).contains("bytes 10-99/" + speex.length);
    assertThat(part.body()).isEqualTo(Arrays.copyOfRange(speex, 10, 100));

    HttpResponse<byte[]> head = server.sendForBytes(HttpRequest.newBuilder(URI.create(server.url(
            WeChatApi.MEDIA_GET_JSSDK + "?access_token=" + token + "&media_id=" + serverId)))
        .method("HEAD", HttpRequest.BodyPublishers.noBody())
        .build());
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.headers().firstValue("Content-Length"))
        .contains(Integer.toString(speex.length));
  }

  @Test
  void anOrdinaryVoiceIsNotAJssdkVoice() {
    String token = server.token("official-account");
    HttpResponse<String> up = server.upload(token, "voice", "voice.mp3", mp3);
    String mediaId = json(up).path("media_id").asText();

    HttpResponse<byte[]> r = jssdk(token, mediaId);

    assertThat(
            json(new String(r.body(), StandardCharsets.UTF_8)).path("errcode").asInt())
        .isEqualTo(40007);
    HttpResponse<byte[]> bogus = jssdk(token, "not-a-media-id");
    assertThat(json(new String(bogus.body(), StandardCharsets.UTF_8))
            .path("errcode")
            .asInt())
        .isEqualTo(40007);
  }

  /** The mini program has no JS-SDK voices: the endpoint is not its own (48001), like uploadimg. */
  @Test
  void aMiniProgramHasNoJssdkVoices() {
    String oaVoice = makeVoice(TestServer.OA, "audio/mpeg", mp3);
    HttpResponse<byte[]> r = jssdk(server.token("mini-program"), oaVoice);
    assertThat(
            json(new String(r.body(), StandardCharsets.UTF_8)).path("errcode").asInt())
        .isEqualTo(48001);

    HttpResponse<String> make =
        server.uploadRaw(OperatorApi.JSSDK_VOICE + "?appid=" + TestServer.MP, "audio/mpeg", mp3);
    assertThat(json(make).path("errcode").asInt()).isEqualTo(48001);
  }

  @ParameterizedTest
  @EnumSource(WxBackend.class)
  void wxJavaJssdkDownloadsGetTheSpeex(WxBackend backend) throws Exception {
    String oaVoice = makeVoice(TestServer.OA, "audio/mpeg", mp3);
    String oaToken = server.token("official-account");
    File mp = backend
        .officialAccount(server.server().baseUrl(), TestServer.OA, TestServer.OA_SECRET, false)
        .getMaterialService()
        .jssdkMediaDownload(oaVoice);
    assertThat(Files.readAllBytes(mp.toPath()))
        .isEqualTo(jssdk(oaToken, oaVoice).body());

    String corpVoice = makeVoice(TestServer.CORP, "audio/mpeg", mp3);
    String corpToken = server.token("wecom");
    File cp = backend
        .wecom(server.server().baseUrl(), TestServer.CORP, TestServer.CORP_SECRET)
        .getMediaService()
        .getJssdkFile(corpVoice);
    assertThat(Files.readAllBytes(cp.toPath()))
        .isEqualTo(jssdk(corpToken, corpVoice).body());
  }

  private static void assertSpeex(HttpResponse<byte[]> r, String serverId) {
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).contains("voice/speex");
    assertThat(r.headers().firstValue("Content-disposition"))
        .contains("attachment; filename=\"" + serverId + ".speex\"");
    byte[] body = r.body();
    assertThat(new String(body, 0, 4, StandardCharsets.ISO_8859_1)).isEqualTo("OggS");
    // The first Ogg page holds the Speex header, which opens with "Speex   ".
    String firstPage = new String(body, 0, Math.min(body.length, 200), StandardCharsets.ISO_8859_1);
    assertThat(firstPage).contains("Speex   ");
    assertThat(r.headers().firstValue("ETag")).isPresent();
  }

  private String makeVoice(String appId, String contentType, byte[] body) {
    HttpResponse<String> r =
        server.uploadRaw(OperatorApi.JSSDK_VOICE + "?appid=" + appId, contentType, body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    String serverId = json(r).path("serverId").asText();
    assertThat(serverId).as(r.body()).isNotEmpty();
    return serverId;
  }

  private HttpResponse<byte[]> jssdk(String token, String mediaId, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url(
            WeChatApi.MEDIA_GET_JSSDK + "?access_token=" + token + "&media_id=" + mediaId)))
        .GET();
    if (headers.length > 0) {
      b.headers(headers);
    }
    return server.sendForBytes(b.build());
  }
}
