package dev.tempmedia.admin;

import static dev.tempmedia.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tempmedia.testing.MediaSamples;
import dev.tempmedia.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The emulator clock through {@code /_tempmedia/clock}: every expiry and created_at follows it. */
class ClockRoutesTest {
  @TempDir
  Path data;

  TestServer server;

  @BeforeEach
  void start() {
    server = new TestServer(data);
  }

  @AfterEach
  void stop() {
    if (server != null) { // null when the start was skipped (no redis-server for the scale-out run)
      server.close();
    }
  }

  JsonNode clock(String body) {
    HttpResponse<String> r =
        body == null ? server.get("/_tempmedia/clock") : server.postJson("/_tempmedia/clock", body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    return json(r);
  }

  @Test
  void readsTheClockWithItsOffset() {
    JsonNode c = clock(null);
    assertThat(c.path("offsetSeconds").asLong()).isZero();
    assertThat(Duration.between(Instant.parse(c.path("now").asText()), Instant.now())
            .abs())
        .isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void advancingThreeDaysExpiresAMediaIdWithADiagnosisThatSaysWhen() {
    String token = server.token("official-account");
    String mediaId = json(server.upload(token, "image", "a.jpg", MediaSamples.jpeg(20, 20)))
        .path("media_id")
        .asText();
    assertThat(server.download(token, mediaId).statusCode()).isEqualTo(200);

    JsonNode moved = clock("{\"advance\":\"PT72H\"}");
    assertThat(moved.path("offsetSeconds").asLong()).isEqualTo(72 * 3600);
    assertThat(Instant.parse(moved.path("now").asText()))
        .isAfter(Instant.now().plus(Duration.ofHours(71)));

    // The token expired too (2 h), so a fresh one: the media_id is what is refused.
    String fresh = server.token("official-account");
    HttpResponse<byte[]> gone = server.download(fresh, mediaId);
    assertThat(json(new String(gone.body())).path("errcode").asInt()).isEqualTo(40007);
    JsonNode seen = json(server.get("/_tempmedia/requests?errcode=40007&limit=1"))
        .path("requests")
        .get(0);
    assertThat(seen.path("diagnosis").asText()).contains("media_id expired at").contains("ago");
  }

  @Test
  void theOldTokenExpiresWhenTheClockPassesItsTwoHours() {
    String token = server.token("official-account");
    clock("{\"advance\":\"PT2H1M\"}");
    HttpResponse<byte[]> r = server.download(token, "x".repeat(64));
    assertThat(json(new String(r.body())).path("errcode").asInt()).isEqualTo(42001);
  }

  @Test
  void createdAtFollowsTheMovedClock() {
    clock("{\"set\":\"2030-01-01T00:00:00Z\"}");
    String token = server.token("official-account");
    JsonNode up = json(server.upload(token, "image", "a.jpg", MediaSamples.jpeg(20, 20)));
    assertThat(up.path("created_at").asLong()).isBetween(1893456000L, 1893456000L + 60);
  }

  @Test
  void setAndResetAnswerTheClock() {
    JsonNode set = clock("{\"set\":\"2031-06-01T12:00:00Z\"}");
    assertThat(Instant.parse(set.path("now").asText()))
        .isBetween(Instant.parse("2031-06-01T12:00:00Z"), Instant.parse("2031-06-01T12:00:05Z"));
    JsonNode reset = clock("{\"reset\":true}");
    assertThat(reset.path("offsetSeconds").asLong()).isZero();
    assertThat(server.clock().offset()).isEqualTo(Duration.ZERO);
  }

  @Test
  void negativeDurationsMoveItBack() {
    JsonNode back = clock("{\"advance\":\"-PT1H\"}");
    assertThat(back.path("offsetSeconds").asLong()).isEqualTo(-3600);
  }

  @Test
  void theMovedClockSurvivesARestart() {
    clock("{\"advance\":\"P3D\"}");
    server.clock().reset(); // what a new process would start with
    server.restart();
    assertThat(clock(null).path("offsetSeconds").asLong()).isEqualTo(3 * 86400);
  }

  @Test
  void badInputIsRefusedAndMovesNothing() {
    String[] bodies = {
      "{\"advance\":\"72h\"}",
      "{\"set\":\"tomorrow\"}",
      "{}",
      "{\"advance\":\"PT1H\",\"reset\":true}",
      "not json",
      "{\"advance\":\"P1M\"}"
    };
    for (String body : bodies) {
      HttpResponse<String> r = server.postJson("/_tempmedia/clock", body);
      assertThat(r.statusCode()).as(body).isEqualTo(400);
      assertThat(json(r).path("error").asText()).as(body).isNotBlank();
    }
    assertThat(clock(null).path("offsetSeconds").asLong()).isZero();
  }

  @Test
  void otherMethodsAre405WithAllow() {
    HttpResponse<String> r = server.call("DELETE", "/_tempmedia/clock", null);
    assertThat(r.statusCode()).isEqualTo(405);
    assertThat(r.headers().firstValue("Allow").orElse("")).contains("GET").contains("POST");
  }
}
