package dev.tempmedia.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import cn.binarywang.wx.miniapp.api.WxMaService;
import dev.tempmedia.auth.App;
import dev.tempmedia.testing.MediaSamples;
import dev.tempmedia.testing.TestServer;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import me.chanjar.weixin.common.bean.result.WxMediaUploadResult;
import me.chanjar.weixin.common.error.WxErrorException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** weixin-java-miniapp against tempmedia, with every HTTP backend. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WxMaCompatTest {
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

  WxMaService client(WxBackend backend) {
    return backend.miniProgram(server.server().baseUrl(), TestServer.MP, TestServer.MP_SECRET);
  }

  File file(String name, byte[] bytes) throws Exception {
    Path dir = Files.createTempDirectory(files, "f");
    return Files.write(dir.resolve(name), bytes).toFile();
  }

  @ParameterizedTest
  @EnumSource(WxBackend.class)
  void tokenUploadAndByteIdenticalDownloadOfEveryImageFormat(WxBackend backend) throws Exception {
    WxMaService wx = client(backend);
    assertThat(wx.getAccessToken()).isNotBlank();
    Object[][] uploads = {
      {"photo.jpg", MediaSamples.jpeg(120, 80), "jpg"},
      {"photo.png", MediaSamples.png(120, 80), "png"},
      {"photo.gif", MediaSamples.gif(120, 80), "gif"}
    };
    for (Object[] u : uploads) {
      byte[] bytes = (byte[]) u[1];
      WxMediaUploadResult result =
          wx.getMediaService().uploadMedia("image", file((String) u[0], bytes));
      assertThat(result.getType()).isEqualTo("image");
      assertThat(result.getMediaId()).hasSize(64);
      assertThat(result.getCreatedAt()).isPositive();
      File down = wx.getMediaService().getMedia(result.getMediaId());
      assertThat(down.getName()).endsWith("." + u[2]);
      assertThat(MediaSamples.sha256(Files.readAllBytes(down.toPath())))
          .isEqualTo(MediaSamples.sha256(bytes));
    }
  }

  @ParameterizedTest
  @EnumSource(WxBackend.class)
  void refusalsSurfaceAsWxErrorExceptionWithTheirCode(WxBackend backend) throws Exception {
    WxMaService wx = client(backend);
    WxErrorException voice = catchThrowableOfType(
        WxErrorException.class,
        () -> wx.getMediaService().uploadMedia("voice", file("a.amr", MediaSamples.amr(2))));
    assertThat(voice.getError().getErrorCode()).isEqualTo(40004);
    WxErrorException bmp = catchThrowableOfType(
        WxErrorException.class,
        () -> wx.getMediaService().uploadMedia("image", file("a.bmp", MediaSamples.bmp(8, 8))));
    assertThat(bmp.getError().getErrorCode()).isEqualTo(40005);
    WxErrorException badId = catchThrowableOfType(
        WxErrorException.class, () -> wx.getMediaService().getMedia("B".repeat(64)));
    assertThat(badId.getError().getErrorCode()).isEqualTo(40007);
  }

  @ParameterizedTest
  @EnumSource(WxBackend.class)
  void anotherAppsMediaIsInvisible(WxBackend backend) throws Exception {
    WxMaService wx = client(backend);
    String oaToken = server.token("official-account");
    String foreign = TestServer.json(
            server.upload(oaToken, "image", "a.jpg", MediaSamples.jpeg(8, 8)))
        .get("media_id")
        .asText();
    WxErrorException e =
        catchThrowableOfType(WxErrorException.class, () -> wx.getMediaService().getMedia(foreign));
    assertThat(e.getError().getErrorCode()).isEqualTo(40007);
  }

  @ParameterizedTest
  @EnumSource(WxBackend.class)
  void expiredAndInvalidatedTokensAreFetchedAgainAndTheCallRetried(WxBackend backend)
      throws Exception {
    // The retry is shown on downloads: weixin-java-miniapp's uploadMedia sends the file as a
    // one-shot
    // stream, so its own retry cannot send it again (a client-side limit, the same against WeChat;
    // docs/compatibility.md).
    WxMaService wx = client(backend);
    byte[] png = MediaSamples.png(8, 8);
    String mediaId =
        wx.getMediaService().uploadMedia("image", file("a.png", png)).getMediaId();
    String first = wx.getAccessToken();
    server.clock().advance(Duration.ofHours(2)); // 42001
    assertThat(Files.readAllBytes(wx.getMediaService().getMedia(mediaId).toPath()))
        .isEqualTo(png);
    String second = wx.getAccessToken();
    assertThat(second).isNotEqualTo(first);
    App app = server.server().apps().find(TestServer.MP).orElseThrow();
    server.server().tokens().invalidateAll(app).toCompletableFuture().join(); // 40001
    assertThat(Files.readAllBytes(wx.getMediaService().getMedia(mediaId).toPath()))
        .isEqualTo(png);
    assertThat(wx.getAccessToken()).isNotEqualTo(second);
  }
}
