package dev.tempmedia.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import cn.binarywang.wx.miniapp.api.WxMaService;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tempmedia.testing.MediaSamples;
import dev.tempmedia.testing.TestServer;
import java.io.File;
import java.net.http.HttpResponse;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import me.chanjar.weixin.common.bean.result.WxMediaUploadResult;
import me.chanjar.weixin.common.error.WxErrorException;
import me.chanjar.weixin.common.error.WxRuntimeException;
import me.chanjar.weixin.cp.api.WxCpService;
import me.chanjar.weixin.mp.api.WxMpService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * WxJava's own recovery against the emulator's operator routes, driven over HTTP as a user's CI would:
 * a fault rule answers -1 once and the SDK's retry carries the upload through; an invalidated token
 * answers 40001 (WeCom 40014) and the SDK fetches a new one and repeats the call. Each case has a
 * control showing that the success came from the SDK's recovery and not from a fault that never fired.
 *
 * <p>WxJava retries -1 up to {@code maxRetryTimes} (default 5) after {@code retrySleepMillis} doubling
 * each time; with {@code maxRetryTimes} 0 it gives up at once: weixin-java-mp and -cp throw
 * {@link WxRuntimeException} ("超出重试次数"), weixin-java-miniapp a {@link WxErrorException} with the
 * -1 code. On 40001, 40014 and 42001 it expires its cached token and repeats the call once.
 */
class WxRetryTest {
  private static final String UPLOAD = "/cgi-bin/media/upload";
  private static final String DOWNLOAD = "/cgi-bin/media/get";
  private static final Pattern RID = Pattern.compile("(?:rid: |hint: \\[)([0-9a-f-]+)");

  TestServer server;

  @TempDir
  Path files;

  @BeforeEach
  void start(@TempDir Path data) {
    server = new TestServer(data);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  // ---- -1: system busy, retried ---------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(WxBackend.class)
  void anInjectedMinusOneIsRetriedAndTheUploadSucceeds(WxBackend backend) throws Exception {
    WxMpService wx = backend.officialAccount(baseUrl(), TestServer.OA, TestServer.OA_SECRET, false);
    String rule = injectMinusOnceOn(UPLOAD, null);

    byte[] jpeg = MediaSamples.jpeg(20, 20);
    WxMediaUploadResult result = wx.getMaterialService().mediaUpload("image", file("a.jpg", jpeg));

    assertThat(result.getMediaId()).hasSize(64);
    assertFiredOnce(rule);
    JsonNode failure = single(requests("?errcode=-1"));
    assertThat(failure.path("path").asText()).isEqualTo(UPLOAD);
    assertThat(failure.path("appid").asText()).isEqualTo(TestServer.OA);
    assertThat(failure.path("errmsg").asText()).startsWith("system error");
    assertThat(failure.path("diagnosis").asText()).contains("injected by fault rule " + rule);
    assertThat(paths(uploadsOf(TestServer.OA)))
        .as("the -1, then the retry that stored it")
        .containsExactly(UPLOAD + " -1", UPLOAD + " 0");
    assertThat(Files.readAllBytes(
            wx.getMaterialService().mediaDownload(result.getMediaId()).toPath()))
        .isEqualTo(jpeg);
  }

  @Test
  void withoutRetriesTheInjectedMinusOneIsWhatTheOfficialAccountSees() throws Exception {
    WxMpService wx = WxBackend.APACHE_HTTPCLIENT_4.officialAccount(
        baseUrl(), TestServer.OA, TestServer.OA_SECRET, false);
    wx.setMaxRetryTimes(0);
    String rule = injectMinusOnceOn(UPLOAD, TestServer.OA);

    Throwable failure = catchThrowable(() ->
        wx.getMaterialService().mediaUpload("image", file("a.jpg", MediaSamples.jpeg(20, 20))));

    // weixin-java-mp turns a -1 it may not retry into this, not into a WxErrorException.
    assertThat(failure).isInstanceOf(WxRuntimeException.class).hasMessageContaining("超出重试次数");
    assertFiredOnce(rule);
    assertThat(paths(uploadsOf(TestServer.OA)))
        .as("one attempt, no retry")
        .containsExactly(UPLOAD + " -1");
    assertThat(media(TestServer.OA)).as("nothing was stored").isEmpty();
  }

  @Test
  void severalMinusOnesInARowAreRetriedWithBackoffUntilOneSucceeds() throws Exception {
    WxMpService wx =
        WxBackend.OKHTTP.officialAccount(baseUrl(), TestServer.OA, TestServer.OA_SECRET, false);
    String rule = inject("{\"path\":\"" + UPLOAD + "\",\"errcode\":-1,\"times\":3}");

    long start = System.nanoTime();
    assertThat(wx.getMaterialService()
            .mediaUpload("image", file("a.jpg", MediaSamples.jpeg(20, 20)))
            .getMediaId())
        .hasSize(64);
    long tookMs = (System.nanoTime() - start) / 1_000_000;

    assertThat(fault(rule).path("fired").asInt()).isEqualTo(3);
    assertThat(paths(uploadsOf(TestServer.OA)))
        .containsExactly(UPLOAD + " -1", UPLOAD + " -1", UPLOAD + " -1", UPLOAD + " 0");
    assertThat(tookMs)
        .as("slept 50 + 100 + 200 ms between the attempts")
        .isGreaterThanOrEqualTo(350);
  }

  @Test
  void moreMinusOnesThanTheClientRetriesFailTheCall() throws Exception {
    WxMpService wx =
        WxBackend.OKHTTP.officialAccount(baseUrl(), TestServer.OA, TestServer.OA_SECRET, false);
    wx.setMaxRetryTimes(2);
    String rule = inject("{\"path\":\"" + UPLOAD + "\",\"errcode\":-1,\"times\":3}");

    Throwable failure = catchThrowable(() ->
        wx.getMaterialService().mediaUpload("image", file("a.jpg", MediaSamples.jpeg(20, 20))));

    assertThat(failure).isInstanceOf(WxRuntimeException.class).hasMessageContaining("超出重试次数");
    assertThat(fault(rule).path("fired").asInt()).isEqualTo(3);
    assertThat(paths(uploadsOf(TestServer.OA)))
        .containsExactly(UPLOAD + " -1", UPLOAD + " -1", UPLOAD + " -1");
  }

  @Test
  void weComRetriesAnInjectedMinusOneAndWithoutRetriesGivesUp() throws Exception {
    WxCpService wx =
        WxBackend.APACHE_HTTPCLIENT_4.wecom(baseUrl(), TestServer.CORP, TestServer.CORP_SECRET);
    String rule = injectMinusOnceOn(UPLOAD, TestServer.CORP);

    assertThat(wx.getMediaService()
            .upload("file", file("a.bin", MediaSamples.random(100, 1)))
            .getMediaId())
        .hasSize(65);
    assertFiredOnce(rule);
    JsonNode failure = single(requests("?errcode=-1&appid=" + TestServer.CORP));
    assertThat(failure.path("product").asText()).isEqualTo("wecom");
    assertThat(failure.path("diagnosis").asText()).contains("injected by fault rule " + rule);
    assertThat(paths(uploadsOf(TestServer.CORP))).containsExactly(UPLOAD + " -1", UPLOAD + " 0");

    wx.setMaxRetryTimes(0);
    String second = injectMinusOnceOn(UPLOAD, TestServer.CORP);
    Throwable gaveUp = catchThrowable(() ->
        wx.getMediaService().upload("file", file("b.bin", MediaSamples.random(100, 2))));
    assertThat(gaveUp).isInstanceOf(WxRuntimeException.class).hasMessageContaining("超出重试次数");
    assertFiredOnce(second);
    assertThat(paths(uploadsOf(TestServer.CORP)))
        .containsExactly(UPLOAD + " -1", UPLOAD + " 0", UPLOAD + " -1");
  }

  @Test
  void aMiniProgramRetriesAnInjectedMinusOneAndWithoutRetriesReportsIt() throws Exception {
    WxMaService wx = WxBackend.OKHTTP.miniProgram(baseUrl(), TestServer.MP, TestServer.MP_SECRET);
    byte[] png = MediaSamples.png(20, 20);
    String mediaId =
        wx.getMediaService().uploadMedia("image", file("a.png", png)).getMediaId();
    String rule = injectMinusOnceOn(DOWNLOAD, TestServer.MP);

    assertThat(Files.readAllBytes(wx.getMediaService().getMedia(mediaId).toPath()))
        .isEqualTo(png);
    assertFiredOnce(rule);
    assertThat(paths(callsOf(TestServer.MP)))
        .containsExactly("/cgi-bin/token 0", UPLOAD + " 0", DOWNLOAD + " -1", DOWNLOAD + " 0");

    wx.setMaxRetryTimes(0);
    injectMinusOnceOn(DOWNLOAD, TestServer.MP);
    Throwable gaveUp = catchThrowable(() -> wx.getMediaService().getMedia(mediaId));
    // weixin-java-miniapp, unlike -mp and -cp, reports the code it gave up on.
    assertThat(gaveUp).isInstanceOf(WxErrorException.class);
    assertThat(((WxErrorException) gaveUp).getError().getErrorCode()).isEqualTo(-1);
  }

  /**
   * Since 4.7, weixin-java-miniapp's {@code uploadMedia(type, File)} sends the file from a stream it
   * opens once: after a -1 (or a refused token) the repeated call finds the stream closed and fails in
   * the client. Older lines send the File itself and the retry succeeds. The emulator shows it: the
   * rule fired, the -1 is the only upload the server saw, and nothing was stored.
   */
  @Test
  void aMiniProgramUploadSurvivesARetryOnlyWhereWxJavaCanSendTheFileTwice() throws Exception {
    WxMaService wx =
        WxBackend.APACHE_HTTPCLIENT_4.miniProgram(baseUrl(), TestServer.MP, TestServer.MP_SECRET);
    String rule = injectMinusOnceOn(UPLOAD, TestServer.MP);

    Throwable failure = catchThrowable(() ->
        wx.getMediaService().uploadMedia("image", file("a.png", MediaSamples.png(20, 20))));

    assertFiredOnce(rule);
    if (WxJavaLine.version("weixin-java-miniapp").startsWith("4.6.")) {
      assertThat(failure).isNull();
      assertThat(paths(uploadsOf(TestServer.MP))).containsExactly(UPLOAD + " -1", UPLOAD + " 0");
    } else {
      assertThat(failure)
          .isInstanceOf(WxRuntimeException.class)
          .hasRootCauseInstanceOf(ClosedChannelException.class);
      assertThat(paths(uploadsOf(TestServer.MP).stream()
              .filter(r -> r.path("errcode").asInt() != 0)
              .toList()))
          .containsExactly(UPLOAD + " -1");
      assertThat(media(TestServer.MP)).isEmpty();
    }
  }

  @Test
  void aRuleForAnotherAppLeavesTheCallAlone() throws Exception {
    WxMpService wx =
        WxBackend.OKHTTP.officialAccount(baseUrl(), TestServer.OA, TestServer.OA_SECRET, false);
    wx.setMaxRetryTimes(0);
    String rule = injectMinusOnceOn(UPLOAD, TestServer.MP);

    assertThat(wx.getMaterialService()
            .mediaUpload("image", file("a.jpg", MediaSamples.jpeg(20, 20)))
            .getMediaId())
        .hasSize(64);
    assertThat(fault(rule).path("fired").asInt()).isZero();
    assertThat(requests("?errcode=-1")).isEmpty();
  }

  // ---- 40001 / 40014 / 42001: token refused, fetched again ------------------------------------

  @ParameterizedTest(name = "stable token {0}")
  @ValueSource(booleans = {false, true})
  void afterAnInvalidationTheOfficialAccountFetchesANewTokenAndRepeatsTheUpload(boolean stable)
      throws Exception {
    WxMpService wx = WxBackend.APACHE_HTTPCLIENT_4.officialAccount(
        baseUrl(), TestServer.OA, TestServer.OA_SECRET, stable);
    String tokenPath = stable ? "/cgi-bin/stable_token" : "/cgi-bin/token";
    String old = wx.getAccessToken();
    assertThat(wx.getMaterialService()
            .mediaUpload("image", file("a.jpg", MediaSamples.jpeg(20, 20)))
            .getMediaId())
        .hasSize(64);

    assertThat(invalidate(TestServer.OA)).isGreaterThanOrEqualTo(1);
    byte[] jpeg = MediaSamples.jpeg(30, 30);
    WxMediaUploadResult result = wx.getMaterialService().mediaUpload("image", file("b.jpg", jpeg));

    assertThat(wx.getAccessToken()).isNotEqualTo(old);
    assertThat(paths(callsOf(TestServer.OA)))
        .as("oldest first")
        .containsExactly(
            tokenPath + " 0", UPLOAD + " 0", UPLOAD + " 40001", tokenPath + " 0", UPLOAD + " 0");
    assertThat(Files.readAllBytes(
            wx.getMaterialService().mediaDownload(result.getMediaId()).toPath()))
        .isEqualTo(jpeg);

    // Control: the token the SDK held is refused, and the inspector says why.
    HttpResponse<String> stale = server.upload(old, "image", "c.jpg", MediaSamples.jpeg(20, 20));
    assertThat(TestServer.json(stale).path("errcode").asInt()).isEqualTo(40001);
    assertThat(diagnosisOf(stale)).contains("was invalidated");
  }

  @Test
  void afterAnInvalidationWeComFetchesANewTokenOn40014() throws Exception {
    WxCpService wx = WxBackend.JODD_HTTP.wecom(baseUrl(), TestServer.CORP, TestServer.CORP_SECRET);
    String old = wx.getAccessToken();

    assertThat(invalidate(TestServer.CORP)).isGreaterThanOrEqualTo(1);
    assertThat(wx.getMediaService()
            .upload("file", file("a.bin", MediaSamples.random(100, 3)))
            .getMediaId())
        .hasSize(65);

    assertThat(wx.getAccessToken()).isNotEqualTo(old);
    assertThat(paths(callsOf(TestServer.CORP)))
        .containsExactly(
            "/cgi-bin/gettoken 0", UPLOAD + " 40014", "/cgi-bin/gettoken 0", UPLOAD + " 0");

    HttpResponse<String> stale = server.upload(old, "file", "b.bin", MediaSamples.random(100, 4));
    assertThat(TestServer.json(stale).path("errcode").asInt()).isEqualTo(40014);
    assertThat(diagnosisOf(stale)).contains("was invalidated");
  }

  @Test
  void afterAClockAdvanceWeComFetchesANewTokenOn42001() throws Exception {
    WxCpService wx = WxBackend.OKHTTP.wecom(baseUrl(), TestServer.CORP, TestServer.CORP_SECRET);
    String old = wx.getAccessToken();

    JsonNode clock =
        TestServer.json(server.postJson("/_tempmedia/clock", "{\"advance\":\"PT2H\"}"));
    assertThat(clock.path("offsetSeconds").asLong()).isEqualTo(7200);
    // WxJava's cache still trusts the token (its own clock has not moved); the server answers
    // 42001.
    assertThat(wx.getMediaService()
            .upload("file", file("a.bin", MediaSamples.random(100, 5)))
            .getMediaId())
        .hasSize(65);

    assertThat(wx.getAccessToken()).isNotEqualTo(old);
    assertThat(paths(callsOf(TestServer.CORP)))
        .containsExactly(
            "/cgi-bin/gettoken 0", UPLOAD + " 42001", "/cgi-bin/gettoken 0", UPLOAD + " 0");
    assertThat(single(requests("?errcode=42001")).path("diagnosis").asText())
        .contains("access_token expired at");
  }

  @Test
  void afterAnInvalidationAMiniProgramFetchesANewTokenAndRepeatsTheDownload() throws Exception {
    WxMaService wx =
        WxBackend.APACHE_HTTPCLIENT_4.miniProgram(baseUrl(), TestServer.MP, TestServer.MP_SECRET);
    byte[] png = MediaSamples.png(20, 20);
    String mediaId =
        wx.getMediaService().uploadMedia("image", file("a.png", png)).getMediaId();
    String old = wx.getAccessToken();

    assertThat(invalidate(TestServer.MP)).isGreaterThanOrEqualTo(1);
    assertThat(Files.readAllBytes(wx.getMediaService().getMedia(mediaId).toPath()))
        .isEqualTo(png);

    assertThat(wx.getAccessToken()).isNotEqualTo(old);
    assertThat(paths(callsOf(TestServer.MP)))
        .containsExactly(
            "/cgi-bin/token 0",
            UPLOAD + " 0",
            DOWNLOAD + " 40001",
            "/cgi-bin/token 0",
            DOWNLOAD + " 0");
  }

  // ---- the operator routes, over HTTP ----------------------------------------------------------

  private String baseUrl() {
    return server.server().baseUrl();
  }

  private String injectMinusOnceOn(String path, String appid) {
    return inject("{\"path\":\"" + path + "\",\"errcode\":-1,\"times\":1"
        + (appid == null ? "" : ",\"appid\":\"" + appid + "\"") + "}");
  }

  private String inject(String rule) {
    HttpResponse<String> r = server.postJson("/_tempmedia/faults", rule);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return TestServer.json(r).path("id").asText();
  }

  private JsonNode fault(String id) {
    for (JsonNode f : TestServer.json(server.get("/_tempmedia/faults")).path("faults")) {
      if (f.path("id").asText().equals(id)) {
        return f;
      }
    }
    throw new AssertionError("no fault rule " + id);
  }

  private void assertFiredOnce(String rule) {
    assertThat(fault(rule).path("fired").asInt())
        .as("fault rule %s fired", rule)
        .isEqualTo(1);
  }

  private int invalidate(String appid) {
    HttpResponse<String> r = server.postJson("/_tempmedia/tokens/" + appid + "/invalidate", "{}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return TestServer.json(r).path("invalidated").asInt();
  }

  private JsonNode media(String appid) {
    return TestServer.json(server.get("/_tempmedia/media?appid=" + appid)).path("media");
  }

  /** The inspector's records for a query, newest first as it lists them. */
  private List<JsonNode> requests(String query) {
    HttpResponse<String> r = server.get("/_tempmedia/requests" + query);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    List<JsonNode> list = new ArrayList<>();
    TestServer.json(r).path("requests").forEach(list::add);
    return list;
  }

  /** An app's token and media calls, oldest first. */
  private List<JsonNode> callsOf(String appid) {
    return oldestFirst(
        requests("?limit=1000&appid=" + appid),
        r -> r.path("path").asText().startsWith("/cgi-bin/"));
  }

  private List<JsonNode> uploadsOf(String appid) {
    return oldestFirst(
        requests("?limit=1000&appid=" + appid), r -> r.path("path").asText().equals(UPLOAD));
  }

  private static List<JsonNode> oldestFirst(List<JsonNode> newestFirst, Predicate<JsonNode> keep) {
    List<JsonNode> out = new ArrayList<>(newestFirst.stream().filter(keep).toList());
    java.util.Collections.reverse(out);
    return out;
  }

  private static List<String> paths(List<JsonNode> records) {
    return records.stream()
        .map(r -> r.path("path").asText() + " " + r.path("errcode").asInt())
        .toList();
  }

  private static JsonNode single(List<JsonNode> records) {
    assertThat(records).hasSize(1);
    return records.get(0);
  }

  /** The inspector's diagnosis of an answer, found by the rid (WeCom: the hint) in its errmsg. */
  private String diagnosisOf(HttpResponse<String> answer) {
    Matcher m = RID.matcher(TestServer.json(answer).path("errmsg").asText());
    assertThat(m.find()).as("a rid in %s", answer.body()).isTrue();
    return single(requests("?rid=" + m.group(1))).path("diagnosis").asText();
  }

  private File file(String name, byte[] bytes) throws Exception {
    Path dir = Files.createTempDirectory(files, "f");
    return Files.write(dir.resolve(name), bytes).toFile();
  }
}
