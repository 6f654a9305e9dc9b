package dev.tempmedia.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tempmedia.config.ConfigLoader;
import dev.tempmedia.config.ConfigValidator;
import dev.tempmedia.config.TempmediaConfig;
import dev.tempmedia.testing.TestServer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code serve} prints at start: where the media lives, the apps, a moved clock, where the console is. */
class ServeBannerTest {

  @Test
  void showsPublicSecretsOnlyAndAMovedClock(@TempDir Path data) {
    try (TestServer server = new TestServer(data)) {
      String created = TestServer.json(
              server.postJson("/_tempmedia/apps", "{\"product\":\"wecom\"}"))
          .path("secret")
          .asText();
      server.postJson("/_tempmedia/clock", "{\"advance\":\"PT72H\"}");
      String banner = ServeCommand.banner(server.server());
      assertThat(banner)
          .contains(TestServer.OA_SECRET)
          .contains(TestServer.CORP_SECRET)
          .doesNotContain(created)
          .contains("(shown when it was created)")
          .contains("clock: moved by PT72H")
          .contains("{\"reset\":true}")
          .contains("console: " + server.server().baseUrl() + "/_tempmedia/console")
          .contains("(dev mode, storage local at " + data + ")");
    }
  }

  @Test
  void s3StorageIsNamedByItsEndpointAndBucket() {
    assertThat(ServeCommand.storage(storage(Map.of(
            "storage.kind",
            "s3",
            "storage.s3.endpoint",
            "http://minio:9000",
            "storage.s3.bucket",
            "media"))))
        .isEqualTo("storage s3 at http://minio:9000, bucket media");
    assertThat(ServeCommand.storage(storage(Map.of(
            "storage.kind", "s3", "storage.s3.region", "eu-west-1", "storage.s3.bucket", "media"))))
        .isEqualTo("storage s3 at AWS eu-west-1, bucket media");
  }

  private static TempmediaConfig.Storage storage(Map<String, String> flags) {
    return ConfigValidator.validate(ConfigLoader.load(null, Map.of(), flags)).storage();
  }
}
