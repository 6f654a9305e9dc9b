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
import me.chanjar.weixin.common.bean.result.WxMediaUploadResult;
import me.chanjar.weixin.common.error.WxErrorException;
import me.chanjar.weixin.cp.api.WxCpService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** weixin-java-cp against tempmedia, with every HTTP backend, including non-ASCII file names. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WxCpCompatTest {
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

  WxCpService client(WxBackend backend) {
    return backend.wecom(server.server().baseUrl(), TestServer.CORP, TestServer.CORP_SECRET);
  }

  File file(String name, byte[] bytes) throws Exception {
    Path dir = Files.createTempDirectory(files, "f");
    return Files.write(dir.resolve(name), bytes).toFile();
  }

  @ParameterizedTest
  @EnumSource(WxBackend.class)
  void tokenUploadAndByteIdenticalDownloadOfEveryType(WxBackend backend) throws Exception {
    WxCpService wx = client(backend);
    assertThat(wx.getAccessToken()).isNotBlank();
    Object[][] uploads = {
      {"image", "photo.jpg", MediaSamples.jpeg(120, 80)},
      {"image", "photo.png", MediaSamples.png(120, 80)},
      {"voice", "note.amr", MediaSamples.amr(5)},
      {"video", "clip.mp4", MediaSamples.mp4(80_000)},
      {"file", "report.pdf", MediaSamples.random(30_000, 4)}
    };
    for (Object[] u : uploads) {
      byte[] bytes = (byte[]) u[2];
      WxMediaUploadResult result =
          wx.getMediaService().upload((String) u[0], file((String) u[1], bytes));
      assertThat(result.getType()).isEqualTo(u[0]);
      assertThat(result.getMediaId()).hasSize(65).startsWith("3");
      assertThat(result.getCreatedAt()).isPositive();
      File down = wx.getMediaService().download(result.getMediaId());
      String name = (String) u[1];
      assertThat(down.getName())
          .as("the uploaded name comes back")
          .startsWith(name.substring(0, name.indexOf('.')))
          .endsWith(name.substring(name.indexOf('.')));
      assertThat(MediaSamples.sha256(Files.readAllBytes(down.toPath())))
          .isEqualTo(MediaSamples.sha256(bytes));
    }
  }

  @ParameterizedTest
  @EnumSource(WxBackend.class)
  void contentImagesAndExternalContactAttachments(WxBackend backend) throws Exception {
    WxCpService wx = client(backend);
    byte[] png = MediaSamples.png(40, 40);
    String url = wx.getMediaService().uploadImg(file("inline.png", png));
    assertThat(url).startsWith(server.server().baseUrl() + "/_tempmedia/img/");
    assertThat(server
            .sendForBytes(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build())
            .body())
        .isEqualTo(png);

    byte[] jpeg = MediaSamples.jpeg(50, 40);
    WxMediaUploadResult attached =
        wx.getExternalContactService().uploadAttachment("image", 1, file("moment.jpg", jpeg));
    assertThat(attached.getType()).isEqualTo("image");
    assertThat(attached.getMediaId()).hasSize(65).startsWith("3");
    assertThat(attached.getCreatedAt()).isPositive();
    File down = wx.getMediaService().download(attached.getMediaId());
    assertThat(Files.readAllBytes(down.toPath())).isEqualTo(jpeg);

    me.chanjar.weixin.common.error.WxErrorException wrong =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            me.chanjar.weixin.common.error.WxErrorException.class,
            () -> wx.getExternalContactService()
                .uploadAttachment("image", 3, file("moment.jpg", jpeg)));
    assertThat(wrong.getError().getErrorCode()).isEqualTo(40058);
  }

  @ParameterizedTest
  @EnumSource(WxBackend.class)
  void uploadByUrlJobsRunToAMediaId(WxBackend backend, @TempDir Path served) throws Exception {
    WxCpService wx = client(backend);
    org.junit.jupiter.api.Assumptions.assumeTrue(
        WxCpCompatTest.class.getResource(
                "/me/chanjar/weixin/cp/bean/media/MediaUploadByUrlReq.class")
            != null,
        "uploadByUrl is not in weixin-java-cp " + WxJavaLine.version("weixin-java-cp"));
    byte[] bytes = MediaSamples.random(3 * 1024 * 1024, 11);
    Files.write(served.resolve("report.pdf"), bytes);
    try (dev.tempmedia.testing.RangeFileServer origin =
        new dev.tempmedia.testing.RangeFileServer(served, "127.0.0.1")) {
      String md5 = java.util.HexFormat.of()
          .formatHex(java.security.MessageDigest.getInstance("MD5").digest(bytes));
      String[] done = ByUrl.run(wx, origin.url("report.pdf"), md5);
      assertThat(done[0]).isEqualTo("2");
      assertThat(done[1]).isEqualTo("0");
      assertThat(done[3]).matches("[0-9]+");
      File down = wx.getMediaService().download(done[2]);
      assertThat(down.getName()).startsWith("report").endsWith(".pdf");
      assertThat(MediaSamples.sha256(Files.readAllBytes(down.toPath())))
          .isEqualTo(MediaSamples.sha256(bytes));

      String[] wrong = ByUrl.run(wx, origin.url("report.pdf"), "0".repeat(32));
      assertThat(wrong[0]).isEqualTo("3");
      assertThat(wrong[1]).isEqualTo("301019");
    }
  }

  /** The calls of WxJava's uploadByUrl, kept apart so the older line (which lacks them) never loads them. */
  private static final class ByUrl {
    /** Submits, polls until the job ends; answers status, detail errcode, media_id, created_at. */
    static String[] run(WxCpService wx, String url, String md5) throws Exception {
      me.chanjar.weixin.cp.bean.media.MediaUploadByUrlReq req =
          new me.chanjar.weixin.cp.bean.media.MediaUploadByUrlReq();
      req.setScene(1);
      req.setType("file");
      req.setFilename("report.pdf");
      req.setUrl(url);
      req.setMd5(md5);
      String jobId = wx.getMediaService().uploadByUrl(req);
      me.chanjar.weixin.cp.bean.media.MediaUploadByUrlResult result;
      long until = System.nanoTime() + 60_000_000_000L;
      do {
        Thread.sleep(100);
        result = wx.getMediaService().uploadByUrl(jobId);
      } while (result.getStatus() == 1 && System.nanoTime() < until);
      return new String[] {
        String.valueOf(result.getStatus()),
        String.valueOf(result.getDetail().getErrCode()),
        result.getDetail().getMediaId(),
        result.getDetail().getCreatedAt()
      };
    }
  }

  @ParameterizedTest
  @EnumSource(WxBackend.class)
  void chineseFileNamesGoInAndComeBack(WxBackend backend) throws Exception {
    WxCpService wx = client(backend);
    byte[] bytes = MediaSamples.random(5000, 11);
    WxMediaUploadResult result = wx.getMediaService().upload("file", file("季度报告.pdf", bytes));
    File down = wx.getMediaService().download(result.getMediaId());
    // WxJava keeps the base name and adds digits to make a temporary file: 季度报告123….pdf. Before
    // 4.7 it reads only the quoted filename, whose percent-encoded UTF-8 decodes to the same name.
    String name =
        java.net.URLDecoder.decode(down.getName(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(name).startsWith("季度报告").endsWith(".pdf");
    assertThat(Files.readAllBytes(down.toPath())).isEqualTo(bytes);
  }

  @ParameterizedTest
  @EnumSource(WxBackend.class)
  void refusalsSurfaceAsWxErrorExceptionWithTheirCode(WxBackend backend) throws Exception {
    WxCpService wx = client(backend);
    WxErrorException tiny = catchThrowableOfType(
        WxErrorException.class,
        () -> wx.getMediaService().upload("file", file("tiny.txt", new byte[] {1, 2, 3})));
    assertThat(tiny.getError().getErrorCode()).isEqualTo(40006);
    WxErrorException mp3 = catchThrowableOfType(
        WxErrorException.class,
        () -> wx.getMediaService().upload("voice", file("a.mp3", MediaSamples.mp3(2, 128))));
    assertThat(mp3.getError().getErrorCode()).isEqualTo(40005);
    WxErrorException badId = catchThrowableOfType(
        WxErrorException.class, () -> wx.getMediaService().download("3" + "C".repeat(64)));
    assertThat(badId.getError().getErrorCode()).isEqualTo(40007);
  }

  @ParameterizedTest
  @EnumSource(WxBackend.class)
  void expiredAndInvalidatedTokensAreFetchedAgainAndTheCallRetried(WxBackend backend)
      throws Exception {
    WxCpService wx = client(backend);
    String first = wx.getAccessToken();
    server.clock().advance(Duration.ofHours(2)); // 42001
    assertThat(wx.getMediaService()
            .upload("file", file("a.bin", MediaSamples.random(100, 1)))
            .getMediaId())
        .hasSize(65);
    String second = wx.getAccessToken();
    assertThat(second).isNotEqualTo(first);
    App corp = server.server().apps().find(TestServer.CORP).orElseThrow();
    server.server().tokens().invalidateAll(corp).toCompletableFuture().join(); // 40014
    assertThat(wx.getMediaService()
            .upload("file", file("b.bin", MediaSamples.random(100, 2)))
            .getMediaId())
        .hasSize(65);
    assertThat(wx.getAccessToken()).isNotEqualTo(second);
  }
}
