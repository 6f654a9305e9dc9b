package dev.tempmedia.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tempmedia.auth.App;
import dev.tempmedia.testing.MediaSamples;
import dev.tempmedia.testing.TestServer;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import me.chanjar.weixin.common.bean.result.WxMediaUploadResult;
import me.chanjar.weixin.common.error.WxErrorException;
import me.chanjar.weixin.mp.api.WxMpService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** weixin-java-mp against tempmedia, with every HTTP backend and both token endpoints. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WxMpCompatTest {
  TestServer server;

  @TempDir
  Path files;

  @BeforeAll
  void start(@TempDir Path data) {
    server = new TestServer(data);
  }

  @AfterAll
  void stop() {
    server.close();
  }

  Stream<Arguments> clients() {
    return Stream.of(WxBackend.values())
        .flatMap(b -> Stream.of(Arguments.of(b, false), Arguments.of(b, true)));
  }

  WxMpService client(WxBackend backend, boolean stable) {
    return backend.officialAccount(
        server.server().baseUrl(), TestServer.OA, TestServer.OA_SECRET, stable);
  }

  File file(String name, byte[] bytes) throws Exception {
    Path dir = Files.createTempDirectory(files, "f");
    return Files.write(dir.resolve(name), bytes).toFile();
  }

  @ParameterizedTest(name = "{0}, stable token {1}")
  @MethodSource("clients")
  void tokenUploadAndByteIdenticalDownloadOfEveryType(WxBackend backend, boolean stable)
      throws Exception {
    WxMpService wx = client(backend, stable);
    assertThat(wx.getAccessToken()).isNotBlank();
    Object[][] uploads = {
      {"image", "photo.jpg", MediaSamples.jpeg(120, 80), "jpg"},
      {"image", "photo.png", MediaSamples.png(120, 80), "png"},
      {"image", "photo.gif", MediaSamples.gif(120, 80), "gif"},
      {"image", "photo.bmp", MediaSamples.bmp(120, 80), "bmp"},
      {"voice", "note.amr", MediaSamples.amr(4), "amr"},
      {"voice", "note.mp3", MediaSamples.mp3(4, 128), "mp3"},
      {"thumb", "thumb.jpg", MediaSamples.jpeg(60, 60), "jpg"}
    };
    for (Object[] u : uploads) {
      byte[] bytes = (byte[]) u[2];
      WxMediaUploadResult result =
          wx.getMaterialService().mediaUpload((String) u[0], file((String) u[1], bytes));
      String mediaId = u[0].equals("thumb") ? result.getThumbMediaId() : result.getMediaId();
      assertThat(result.getType()).isEqualTo(u[0]);
      assertThat(mediaId).hasSize(64);
      assertThat(result.getCreatedAt()).isPositive();
      File down = wx.getMaterialService().mediaDownload(mediaId);
      assertThat(down.getName()).as("named after the Content-disposition").endsWith("." + u[3]);
      assertThat(MediaSamples.sha256(Files.readAllBytes(down.toPath())))
          .as("%s", u[1])
          .isEqualTo(MediaSamples.sha256(bytes));
    }
  }

  @ParameterizedTest(name = "{0}, stable token {1}")
  @MethodSource("clients")
  void videoUploadsAndItsDownloadIsAVideoUrl(WxBackend backend, boolean stable) throws Exception {
    WxMpService wx = client(backend, stable);
    WxMediaUploadResult result =
        wx.getMaterialService().mediaUpload("video", file("clip.mp4", MediaSamples.mp4(50_000)));
    assertThat(result.getMediaId()).hasSize(64);
    // WeChat answers a temporary video with {"video_url":…}. WxJava's download executor reads any
    // JSON answer as a possible error; with no errcode in it, mediaDownload returns null, as
    // against WeChat.
    assertThat(wx.getMaterialService().mediaDownload(result.getMediaId())).isNull();
    String answer = server
        .get("/cgi-bin/media/get?access_token=" + wx.getAccessToken() + "&media_id="
            + result.getMediaId())
        .body();
    assertThat(answer)
        .startsWith("{\"video_url\":\"" + server.server().baseUrl() + "/_tempmedia/video/");
  }

  @ParameterizedTest(name = "{0}, stable token {1}")
  @MethodSource("clients")
  void massSendVideoAndContentImageUploads(WxBackend backend, boolean stable) throws Exception {
    WxMpService wx = client(backend, stable);
    WxMediaUploadResult video =
        wx.getMaterialService().mediaUpload("video", file("clip.mp4", MediaSamples.mp4(30_000)));
    me.chanjar.weixin.mp.bean.WxMpMassVideo mass = new me.chanjar.weixin.mp.bean.WxMpMassVideo();
    mass.setMediaId(video.getMediaId());
    mass.setTitle("新品");
    mass.setDescription("a clip");
    me.chanjar.weixin.mp.bean.result.WxMpMassUploadResult made =
        wx.getMassMessageService().massVideoUpload(mass);
    assertThat(made.getType()).isEqualTo("video");
    assertThat(made.getMediaId()).hasSize(64).isNotEqualTo(video.getMediaId());
    assertThat(made.getCreatedAt()).isPositive();

    WxMediaUploadResult image =
        wx.getMaterialService().mediaUpload("image", file("a.jpg", MediaSamples.jpeg(9, 9)));
    mass.setMediaId(image.getMediaId());
    WxErrorException notVideo = catchThrowableOfType(
        WxErrorException.class, () -> wx.getMassMessageService().massVideoUpload(mass));
    assertThat(notVideo.getError().getErrorCode()).isEqualTo(40007);

    byte[] jpeg = MediaSamples.jpeg(64, 48);
    String url =
        wx.getMaterialService().mediaImgUpload(file("inline.jpg", jpeg)).getUrl();
    assertThat(url).startsWith(server.server().baseUrl() + "/_tempmedia/img/");
    assertThat(server
            .sendForBytes(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build())
            .body())
        .isEqualTo(jpeg);
  }

  @ParameterizedTest(name = "{0}, stable token {1}")
  @MethodSource("clients")
  void refusalsSurfaceAsWxErrorExceptionWithTheirCode(WxBackend backend, boolean stable)
      throws Exception {
    WxMpService wx = client(backend, stable);
    WxErrorException wrongFormat = catchThrowableOfType(
        WxErrorException.class,
        () -> wx.getMaterialService()
            .mediaUpload("thumb", file("thumb.png", MediaSamples.png(10, 10))));
    assertThat(wrongFormat.getError().getErrorCode()).isEqualTo(40005);
    // WxJava shows its own Chinese text for known codes; WeChat's text is kept in the raw JSON.
    assertThat(wrongFormat.getError().getJson()).contains("\"errmsg\":\"invalid file type rid: ");
    WxErrorException badType = catchThrowableOfType(
        WxErrorException.class,
        () -> wx.getMaterialService()
            .mediaUpload("file", file("a.pdf", MediaSamples.random(100, 1))));
    assertThat(badType.getError().getErrorCode()).isEqualTo(40004);
    WxErrorException badId = catchThrowableOfType(
        WxErrorException.class, () -> wx.getMaterialService().mediaDownload("A".repeat(64)));
    assertThat(badId.getError().getErrorCode()).isEqualTo(40007);
    WxErrorException empty = catchThrowableOfType(
        WxErrorException.class,
        () -> wx.getMaterialService().mediaUpload("image", file("empty.jpg", new byte[0])));
    assertThat(empty.getError().getErrorCode()).isEqualTo(44001);
  }

  @ParameterizedTest(name = "{0}, stable token {1}")
  @MethodSource("clients")
  void anExpiredTokenIsFetchedAgainAndTheCallRetried(WxBackend backend, boolean stable)
      throws Exception {
    WxMpService wx = client(backend, stable);
    String first = wx.getAccessToken();
    server
        .clock()
        .advance(Duration.ofHours(
            2)); // the server now answers 42001; the SDK's own cache still trusts it
    WxMediaUploadResult result =
        wx.getMaterialService().mediaUpload("image", file("a.jpg", MediaSamples.jpeg(10, 10)));
    assertThat(result.getMediaId()).hasSize(64);
    assertThat(wx.getAccessToken()).isNotEqualTo(first);
  }

  @ParameterizedTest(name = "{0}, stable token {1}")
  @MethodSource("clients")
  void anInvalidatedTokenIsFetchedAgainAndTheCallRetried(WxBackend backend, boolean stable)
      throws Exception {
    WxMpService wx = client(backend, stable);
    String first = wx.getAccessToken();
    App app = server.server().apps().find(TestServer.OA).orElseThrow();
    assertThat(server.server().tokens().invalidateAll(app).toCompletableFuture().join())
        .isPositive(); // the server now answers 40001
    byte[] jpeg = MediaSamples.jpeg(10, 10);
    WxMediaUploadResult result = wx.getMaterialService().mediaUpload("image", file("a.jpg", jpeg));
    assertThat(wx.getAccessToken()).isNotEqualTo(first);
    assertThat(Files.readAllBytes(
            wx.getMaterialService().mediaDownload(result.getMediaId()).toPath()))
        .isEqualTo(jpeg);
  }
}
