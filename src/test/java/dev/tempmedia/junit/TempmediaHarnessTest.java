package dev.tempmedia.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tempmedia.auth.DevApps;
import dev.tempmedia.http.WeChatApi;
import dev.tempmedia.inspector.RequestRecord;
import dev.tempmedia.outbox.SentMessage;
import dev.tempmedia.wechat.Product;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The powers of the harness's handle, on one server for the class. */
class TempmediaHarnessTest {
  @RegisterExtension
  static final TempmediaExtension tempmedia = TempmediaExtension.perClass();

  @Test
  void theDevelopmentAppsAreTheServersWellKnownOnes() {
    assertThat(Tempmedia.OFFICIAL_ACCOUNT_APPID)
        .isEqualTo("wx0000000000000001")
        .isEqualTo(DevApps.of(Product.OFFICIAL_ACCOUNT).id());
    assertThat(Tempmedia.OFFICIAL_ACCOUNT_SECRET)
        .isEqualTo(DevApps.of(Product.OFFICIAL_ACCOUNT).secrets().get(0));
    assertThat(Tempmedia.MINI_PROGRAM_APPID).isEqualTo("wx0000000000000002");
    assertThat(Tempmedia.MINI_PROGRAM_SECRET)
        .isEqualTo(DevApps.of(Product.MINI_PROGRAM).secrets().get(0));
    assertThat(Tempmedia.WECOM_CORPID).isEqualTo("ww0000000000000003");
    assertThat(Tempmedia.WECOM_SECRET)
        .isEqualTo(DevApps.of(Product.WECOM).secrets().get(0));
  }

  @Test
  void aServerOnALoopbackPortInDevModeOverATemporaryDirectory(Tempmedia server) {
    assertThat(server.baseUrl()).isEqualTo("http://127.0.0.1:" + server.port());
    assertThat(server.server().config().devMode()).isTrue();
    assertThat(server.server().config().storage().fsync()).isFalse();
    assertThat(server.dataDir()).isDirectory();
    assertThat(server.startMillis()).isPositive();
    assertThat(Calls.get(server, "/_tempmedia/health").path("status").asText()).isEqualTo("ok");
  }

  @Test
  void requestsAreTakenInTheOrderTheyWereAnsweredWithTheirDiagnosis(Tempmedia server) {
    server.faults().add(FaultRule.on(WeChatApi.MEDIA_UPLOAD).errcode(-1).times(1));
    String token = Calls.token(server);
    assertThat(Calls.upload(server, token).path("errcode").asInt()).isEqualTo(-1);
    assertThat(Calls.upload(server, token).path("media_id").asText()).hasSize(64);

    RequestRecord first = server.requests().take(Duration.ofSeconds(5));
    assertThat(first.path()).isEqualTo(WeChatApi.TOKEN);
    assertThat(first.appid()).isEqualTo(Tempmedia.OFFICIAL_ACCOUNT_APPID);
    RequestRecord failed = server.requests().take(Duration.ofSeconds(5));
    assertThat(failed.path()).isEqualTo(WeChatApi.MEDIA_UPLOAD);
    assertThat(failed.errcode()).isEqualTo(-1);
    assertThat(failed.errmsg()).startsWith("system error rid: " + failed.rid());
    assertThat(failed.diagnosis()).startsWith("injected by fault rule f");
    assertThat(failed.via()).isEqualTo("http");
    RequestRecord ok = server.requests().take(Duration.ofSeconds(5));
    assertThat(ok.errcode()).isZero();
    assertThat(ok.diagnosis()).isNull();
    assertThat(server.faults().list()).singleElement().satisfies(r -> {
      assertThat(r.fired().get()).isEqualTo(1);
      assertThat(r.exhausted()).isTrue();
    });
  }

  @Test
  void aTakeWithNothingComingFailsWhenItsTimeIsUp(Tempmedia server) {
    long t0 = System.nanoTime();
    assertThatThrownBy(() -> server.requests().take(Duration.ofMillis(200)))
        .isInstanceOf(AssertionError.class)
        .hasMessage("no finished request within 200 ms");
    assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(190_000_000L);
    assertThat(server.messages().poll(Duration.ZERO)).isEmpty();
  }

  @Test
  void aFilteredTakePassesOverWhatDoesNotMatch(Tempmedia server) {
    String token = Calls.token(server);
    Calls.upload(server, token);
    RequestRecord upload =
        server.requests().take(Duration.ofSeconds(5), r -> r.path().equals(WeChatApi.MEDIA_UPLOAD));
    assertThat(upload.errcode()).isZero();
    assertThat(server.requests().size()).isZero();
  }

  @Test
  void aSentMessageIsTakenWithItsMediaResolved(Tempmedia server) {
    String token = Calls.token(server);
    String mediaId = Calls.upload(server, token).path("media_id").asText();
    JsonNode answer = Calls.post(
        server,
        WeChatApi.MESSAGE_CUSTOM_SEND + "?access_token=" + token,
        "{\"touser\":\"oUser\",\"msgtype\":\"image\",\"image\":{\"media_id\":\"" + mediaId
            + "\"}}");
    assertThat(answer.path("errcode").asInt()).as(answer.toString()).isZero();

    SentMessage m = server.messages().take(Duration.ofSeconds(5));
    assertThat(m.to()).isEqualTo("oUser");
    assertThat(m.appid()).isEqualTo(Tempmedia.OFFICIAL_ACCOUNT_APPID);
    assertThat(m.msgtype()).isEqualTo("image");
    assertThat(m.media()).singleElement().satisfies(media -> {
      assertThat(media.field()).isEqualTo("image.media_id");
      assertThat(media.mediaId()).isEqualTo(mediaId);
      assertThat(media.contentType()).isEqualTo("image/jpeg");
    });
  }

  @Test
  void theClockExpiresMediaAndIsStoredAsTheOperatorRouteStoresIt(Tempmedia server) {
    String token = Calls.token(server);
    String mediaId = Calls.upload(server, token).path("media_id").asText();
    server.clock().advance(Duration.ofHours(73));
    assertThat(server.clock().offset()).isEqualTo(Duration.ofHours(73));
    assertThat(Calls.get(server, "/_tempmedia/clock").path("offsetSeconds").asLong())
        .isEqualTo(73 * 3600);

    String fresh = Calls.token(server);
    JsonNode gone =
        Calls.get(server, WeChatApi.MEDIA_GET + "?access_token=" + fresh + "&media_id=" + mediaId);
    assertThat(gone.path("errcode").asInt()).isEqualTo(40007);
    RequestRecord seen =
        server.requests().take(Duration.ofSeconds(5), r -> r.path().equals(WeChatApi.MEDIA_GET));
    assertThat(seen.diagnosis()).startsWith("media_id expired at");
  }

  @Test
  void invalidatedTokensAreRefused(Tempmedia server) {
    String token = Calls.token(server);
    assertThat(server.invalidateTokens(Tempmedia.OFFICIAL_ACCOUNT_APPID)).isPositive();
    assertThat(Calls.upload(server, token).path("errcode").asInt()).isEqualTo(40001);
    assertThatThrownBy(() -> server.invalidateTokens("wxnosuchapp"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aRuleTheServerWouldRefuseIsRefusedWithItsReason(Tempmedia server) {
    assertThatThrownBy(
            () -> server.faults().add(FaultRule.on(WeChatApi.MEDIA_UPLOAD).errcode(12345)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("errcode 12345 is not one this server knows");
    assertThatThrownBy(() -> server.faults().add(FaultRule.on(WeChatApi.MEDIA_UPLOAD)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs an effect");
    assertThatThrownBy(() ->
            server.faults().add(FaultRule.on(WeChatApi.MEDIA_UPLOAD).errcode(-1).drop()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(FaultRule.on("/p")
            .appid("wx1")
            .type("voice")
            .errcode(-1)
            .latency(Duration.ofMillis(300))
            .times(2)
            .probability(0.5)
            .toString())
        .isEqualTo("FaultRule.on(\"/p\").appid(\"wx1\").type(\"voice\").errcode(-1)"
            + ".latency(PT0.3S).times(2).probability(0.5)");
  }

  @Test
  void aLatencyRuleHoldsTheAnswerAndADropClosesTheConnection(Tempmedia server) {
    server
        .faults()
        .add(FaultRule.on("/_tempmedia/health").latency(Duration.ofMillis(300)).times(1));
    long t0 = System.nanoTime();
    Calls.get(server, "/cgi-bin/token?grant_type=client_credential");
    assertThat(System.nanoTime() - t0).isLessThan(300_000_000L);
    server.faults().clear();

    server
        .faults()
        .add(FaultRule.on(WeChatApi.TOKEN).latency(Duration.ofMillis(300)).times(1));
    t0 = System.nanoTime();
    Calls.token(server);
    assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(290_000_000L);

    server.faults().add(FaultRule.on(WeChatApi.TOKEN).drop().times(1));
    assertThatThrownBy(() -> Calls.token(server)).hasRootCauseInstanceOf(java.io.IOException.class);
    RequestRecord dropped = server.requests().take(Duration.ofSeconds(5), r -> r.status() == 0);
    assertThat(dropped.diagnosis()).startsWith("connection dropped on purpose");
  }

  @Test
  void aRestartKeepsMediaAndTheDataDirectory(Tempmedia server) throws Exception {
    Path data = server.dataDir();
    String token = Calls.token(server);
    String mediaId = Calls.upload(server, token).path("media_id").asText();
    int before = server.port();
    server.restart();
    assertThat(server.dataDir()).isEqualTo(data);
    assertThat(Files.list(data.resolve("media")).count()).isPositive();
    JsonNode list =
        Calls.get(server, "/_tempmedia/media?appid=" + Tempmedia.OFFICIAL_ACCOUNT_APPID);
    assertThat(list.toString()).contains(mediaId);
    assertThat(server.port()).isNotZero();
    assertThat(before).isNotZero();
  }
}
