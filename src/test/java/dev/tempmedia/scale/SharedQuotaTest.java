package dev.tempmedia.scale;

import static dev.tempmedia.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tempmedia.clock.ServerClock;
import dev.tempmedia.http.WeChatApi;
import dev.tempmedia.testing.MediaSamples;
import dev.tempmedia.testing.ScaledBackends;
import dev.tempmedia.testing.TestServer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two instances on one Redis count one daily quota: calls on either use it up, a clear on one frees both. */
class SharedQuotaTest {
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
    Map<String, String> flags = new HashMap<>(backends.sharedFlags("tempmedia-deployment-" + n, n));
    flags.put("quotas", "{\"" + WeChatApi.MEDIA_UPLOAD + "\": 3}");
    a = new TestServer(dataA, flags, new ServerClock(Clock.systemUTC()));
    b = new TestServer(dataB, flags, new ServerClock(Clock.systemUTC()));
  }

  @AfterEach
  void stop() {
    if (a != null) {
      a.close();
    }
    if (b != null) {
      b.close();
    }
  }

  private int upload(TestServer s, String token) {
    return json(s.upload(token, "image", "a.jpg", MediaSamples.jpeg(9, 9)))
        .path("errcode")
        .asInt();
  }

  @Test
  void callsOnEitherInstanceCountAgainstOneQuota() {
    String token = a.token("official-account");
    assertThat(upload(a, token)).isZero();
    assertThat(upload(b, token)).isZero();
    assertThat(upload(a, token)).isZero();
    assertThat(upload(b, token)).isEqualTo(45009);
    assertThat(upload(a, token)).isEqualTo(45009);
    String used = a.postJson(
            WeChatApi.QUOTA_GET + "?access_token=" + token,
            "{\"cgi_path\":\"" + WeChatApi.MEDIA_UPLOAD + "\"}")
        .body();
    assertThat(json(used).path("quota").path("used").asLong()).isEqualTo(3);

    String cleared = b.postJson(
            WeChatApi.CLEAR_QUOTA + "?access_token=" + token,
            "{\"appid\":\"" + TestServer.OA + "\"}")
        .body();
    assertThat(json(cleared).path("errcode").asInt()).isZero();
    assertThat(upload(a, token)).isZero();
  }
}
