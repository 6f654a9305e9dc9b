package dev.tempmedia.scale;

import static dev.tempmedia.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tempmedia.admin.OperatorApi;
import dev.tempmedia.clock.ServerClock;
import dev.tempmedia.http.WeChatApi;
import dev.tempmedia.outbox.SentMessage;
import dev.tempmedia.testing.MediaSamples;
import dev.tempmedia.testing.ScaledBackends;
import dev.tempmedia.testing.TestServer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The emulator's clock and the apps created at run time are shared through Redis: two instances,
 * each with its own clock as two machines have, follow a move or a new app made on the other.
 */
class SharedEmulatorStateTest {
  @TempDir
  Path dataA;

  @TempDir
  Path dataB;

  TestServer a;
  TestServer b;

  @BeforeEach
  void start() {
    ScaledBackends backends = ScaledBackends.get();
    int n = TwoInstancesTest.DEPLOYMENT.getAndDecrement();
    Map<String, String> shared = backends.sharedFlags("tempmedia-deployment-" + n, n);
    a = new TestServer(dataA, shared, new ServerClock(Clock.systemUTC()));
    b = new TestServer(dataB, shared, new ServerClock(Clock.systemUTC()));
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

  static void within(Duration limit, BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(what + " did not happen within " + limit);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  @Test
  void aClockMovedOnAIsTheClockOfB() {
    String token = a.token("official-account");
    String id = json(a.upload(token, "image", "a.jpg", MediaSamples.jpeg(9, 9)))
        .path("media_id")
        .asText();
    a.postJson("/_tempmedia/clock", "{\"advance\":\"PT72H\"}");
    within(
        Duration.ofSeconds(1),
        () -> json(b.get("/_tempmedia/clock")).path("offsetSeconds").asLong() == 72 * 3600,
        "B following A's clock");
    assertThat(b.clock().offset()).isEqualTo(Duration.ofHours(72));
    String fresh = b.token("official-account");
    assertThat(json(new String(b.download(fresh, id).body())).path("errcode").asInt())
        .isEqualTo(40007);
    b.postJson("/_tempmedia/clock", "{\"reset\":true}");
    within(Duration.ofSeconds(1), () -> a.clock().offset().isZero(), "A following B's reset");
  }

  @Test
  void anInstanceStartedLaterTakesUpTheMovedClock() {
    a.postJson("/_tempmedia/clock", "{\"advance\":\"P1D\"}");
    within(
        Duration.ofSeconds(1),
        () -> b.clock().offset().equals(Duration.ofDays(1)),
        "B following A");
    b.clock().reset(); // a new process starts unmoved
    b.restart();
    assertThat(b.clock().offset()).isEqualTo(Duration.ofDays(1));
  }

  @Test
  void anotherDeploymentOnTheSameRedisServerKeepsItsOwnClock(@TempDir Path dataC) {
    int n = TwoInstancesTest.DEPLOYMENT.getAndDecrement();
    try (TestServer other = new TestServer(
        dataC,
        ScaledBackends.get().sharedFlags("tempmedia-deployment-" + n, n),
        new ServerClock(Clock.systemUTC()))) {
      a.postJson("/_tempmedia/clock", "{\"advance\":\"PT72H\"}");
      within(
          Duration.ofSeconds(1),
          () -> b.clock().offset().equals(Duration.ofHours(72)),
          "B following A");
      assertThat(other.clock().offset())
          .as("a deployment in another Redis database")
          .isZero();
    }
  }

  @Test
  void anAppCreatedOnAWorksOnBAndItsDeletionReachesB() {
    JsonNode app = json(a.postJson("/_tempmedia/apps", "{\"product\":\"mini-program\"}"));
    String appid = app.path("appid").asText();
    String secret = app.path("secret").asText();
    JsonNode token = json(
        b.get("/cgi-bin/token?grant_type=client_credential&appid=" + appid + "&secret=" + secret));
    String accessToken = token.path("access_token").asText();
    assertThat(accessToken).isNotBlank();
    String id = json(b.upload(accessToken, "image", "a.jpg", MediaSamples.jpeg(9, 9)))
        .path("media_id")
        .asText();
    assertThat(json(a.get("/_tempmedia/media?appid=" + appid))
            .path("media")
            .get(0)
            .path("mediaId")
            .asText())
        .isEqualTo(id);
    assertThat(json(b.get("/_tempmedia/apps")).path("apps").toString()).contains(appid);

    a.call("DELETE", "/_tempmedia/apps/" + appid, null);
    within(
        Duration.ofSeconds(1),
        () ->
            json(new String(b.download(accessToken, id).body())).path("errcode").asInt() == 40001,
        "B refusing the deleted app's token");
  }

  @Test
  void tokensInvalidatedOnAAreRefusedOnB() {
    String token = b.token("official-account");
    a.postJson("/_tempmedia/tokens/" + TestServer.OA + "/invalidate", "{}");
    within(
        Duration.ofSeconds(1),
        () -> json(new String(b.download(token, "x").body())).path("errcode").asInt() == 40001,
        "B refusing the invalidated token");
  }

  @Test
  void aMessageSentThroughAIsInBsOutboxAndWakesAReaderWaitingOnB() throws Exception {
    a.call("DELETE", OperatorApi.MESSAGES, null);
    String token = a.token("official-account");
    String image = json(a.upload(token, "image", "a.jpg", MediaSamples.jpeg(9, 9)))
        .path("media_id")
        .asText();
    java.util.concurrent.CompletableFuture<JsonNode> waiting =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> json(b.get(OperatorApi.MESSAGES + "?to=oShared&wait=PT20S")).path("messages"));
    Thread.sleep(300);
    assertThat(waiting).as("B's reader waits").isNotDone();
    JsonNode answer = json(a.postJson(
        WeChatApi.MESSAGE_CUSTOM_SEND + "?access_token=" + token,
        "{\"touser\":\"oShared\",\"msgtype\":\"image\",\"image\":{\"media_id\":\"" + image
            + "\"}}"));
    assertThat(answer.path("errcode").asInt()).as(answer.toString()).isZero();
    JsonNode woken = waiting.get(10, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(woken).hasSize(1);
    assertThat(woken.get(0).path("media").get(0).path("mediaId").asText()).isEqualTo(image);
    // B's own subscribers hear of it once, through the same channel that woke the reader
    SentMessage heardOnB = b.tempmedia().messages().take(Duration.ofSeconds(5));
    assertThat(heardOnB.to()).isEqualTo("oShared");
    assertThat(heardOnB.media().get(0).mediaId()).isEqualTo(image);
    assertThat(b.tempmedia().messages().poll(Duration.ofMillis(200))).isEmpty();
    assertThat(a.tempmedia().messages().take(Duration.ofSeconds(5)).id()).isEqualTo(heardOnB.id());
    assertThat(json(b.get(OperatorApi.MESSAGES)).path("messages")).hasSize(1);

    b.call("DELETE", OperatorApi.MESSAGES, null);
    assertThat(json(a.get(OperatorApi.MESSAGES)).path("messages")).isEmpty();
  }
}
