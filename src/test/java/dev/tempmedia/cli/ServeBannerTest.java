package dev.tempmedia.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tempmedia.testing.TestServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code serve} prints at start: the apps, a moved clock, where the console is. */
class ServeBannerTest {

  @Test
  void showsPublicSecretsOnlyAndAMovedClock(@TempDir Path data) {
    try (TestServer server = new TestServer(data)) {
      String created = TestServer.json(server.postJson("/_tempmedia/apps", "{\"product\":\"wecom\"}")).path("secret").asText();
      server.postJson("/_tempmedia/clock", "{\"advance\":\"PT72H\"}");
      String banner = ServeCommand.banner(server.server());
      assertThat(banner).contains(TestServer.OA_SECRET).contains(TestServer.CORP_SECRET)
          .doesNotContain(created).contains("(shown when it was created)")
          .contains("clock: moved by PT72H").contains("{\"reset\":true}")
          .contains("console: " + server.server().baseUrl() + "/_tempmedia/console");
    }
  }
}
