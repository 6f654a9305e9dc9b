package dev.tempmedia.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cn.binarywang.wx.miniapp.api.WxMaService;
import cn.binarywang.wx.miniapp.bean.openapi.WxMiniGetApiQuotaResult;
import cn.binarywang.wx.miniapp.bean.openapi.WxMiniGetRidInfoResult;
import dev.tempmedia.http.WeChatApi;
import dev.tempmedia.testing.MediaSamples;
import dev.tempmedia.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import me.chanjar.weixin.common.error.WxErrorException;
import me.chanjar.weixin.mp.api.WxMpService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * WxJava's own openapi management methods against tempmedia (SPEC §13): WxMaOpenApiService's
 * clearQuota, getApiQuota and getRidInfo, and WxMpService.clearQuota. WxJava's WxMpService has no
 * quota/get or rid/get; the Mini Program's service has all three.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WxOpenApiCompatTest {
  TestServer server;

  @BeforeAll
  void start(@TempDir Path data) {
    server = TestServer.withConfig(data, """
        quotas:
          /cgi-bin/media/upload: 2
        """);
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @Test
  void miniProgramQuotaRidAndClearThroughWxMaOpenApiService(@TempDir Path files) throws Exception {
    WxMaService wx = WxBackend.HTTPCLIENT_5.miniProgram(
        server.server().baseUrl(), TestServer.MP, TestServer.MP_SECRET);
    java.io.File image =
        Files.write(files.resolve("a.jpg"), MediaSamples.jpeg(30, 20)).toFile();
    wx.getMediaService().uploadMedia("image", image);
    wx.getMediaService().uploadMedia("image", image);
    WxErrorException over = org.junit.jupiter.api.Assertions.assertThrows(
        WxErrorException.class, () -> wx.getMediaService().uploadMedia("image", image));
    assertThat(over.getError().getErrorCode()).isEqualTo(45009);

    WxMiniGetApiQuotaResult quota = wx.getWxMaOpenApiService().getApiQuota(WeChatApi.MEDIA_UPLOAD);
    // WxJava's quota detail class is package-private: read its fields as WxJava's Gson names them.
    com.google.gson.JsonObject detail =
        new com.google.gson.Gson().toJsonTree(quota.getQuota()).getAsJsonObject();
    assertThat(detail.get("daily_limit").getAsLong()).isEqualTo(2L);
    assertThat(detail.get("used").getAsLong()).isEqualTo(2L);
    assertThat(detail.get("remain").getAsLong()).isZero();

    // WxJava replaces errmsg with its own Chinese text; the rid is in the raw answer it keeps.
    String rid = TestServer.json(over.getError().getJson())
        .path("errmsg")
        .asText()
        .replaceAll(".* rid: ", "");
    WxMiniGetRidInfoResult info = wx.getWxMaOpenApiService().getRidInfo(rid);
    assertThat(info.getRequestUrl()).isEqualTo(WeChatApi.MEDIA_UPLOAD + "?type=image");
    assertThat(info.getResponseBody()).contains("45009");
    assertThat(info.getInvokeTime()).isPositive();
    assertThat(info.getClientIp()).isEqualTo("127.0.0.1");

    assertThat(wx.getWxMaOpenApiService().clearQuota()).isTrue();
    assertThat(wx.getMediaService().uploadMedia("image", image).getMediaId()).hasSize(64);

    assertThatThrownBy(() -> wx.getWxMaOpenApiService().getApiQuota("/cgi-bin/nothing"))
        .isInstanceOfSatisfying(
            WxErrorException.class, e -> assertThat(e.getError().getErrorCode()).isEqualTo(76021));
  }

  @Test
  void officialAccountClearsItsOwnQuotaOnly() throws Exception {
    WxMpService wx = WxBackend.HTTPCLIENT_5.officialAccount(
        server.server().baseUrl(), TestServer.OA, TestServer.OA_SECRET, false);
    wx.clearQuota(TestServer.OA);
    assertThatThrownBy(() -> wx.clearQuota(TestServer.MP))
        .isInstanceOfSatisfying(
            WxErrorException.class, e -> assertThat(e.getError().getErrorCode()).isEqualTo(40013));
  }
}
