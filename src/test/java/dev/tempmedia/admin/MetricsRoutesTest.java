package dev.tempmedia.admin;

import static dev.tempmedia.testing.PrometheusText.value;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tempmedia.testing.MediaSamples;
import dev.tempmedia.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /metrics} in Prometheus' text format, with the figures the issue names. */
class MetricsRoutesTest {

  @Test
  void countsRequestsBytesStorageSweepsAndFaults(@TempDir Path data) {
    try (TestServer server = new TestServer(data)) {
      String token = server.token("official-account");
      byte[] jpeg = MediaSamples.jpeg(64, 64);
      server.upload(token, "image", "a.jpg", jpeg);
      server.upload(token, "image", "b.jpg", jpeg);
      server.download(token, "nope");
      server.postJson(
          "/_tempmedia/faults", "{\"path\":\"/cgi-bin/media/get\",\"errcode\":-1,\"times\":1}");
      server.download(token, "nope");
      server.clock().advance(Duration.ofDays(4));
      server.server().sweepExpiredMedia();

      HttpResponse<String> r = server.get("/metrics");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type").orElse(""))
          .startsWith("text/plain; version=0.0.4");
      String text = r.body();
      String upload = "endpoint=\"/cgi-bin/media/upload\",errcode=\"0\"";
      assertThat(value(text, "tempmedia_requests_seconds_count{" + upload + "}"))
          .isEqualTo(2);
      assertThat(
              value(
                  text,
                  "tempmedia_requests_seconds_count{endpoint=\"/cgi-bin/media/get\",errcode=\"40007\"}"))
          .isEqualTo(1);
      assertThat(value(
              text,
              "tempmedia_requests_seconds_count{endpoint=\"/cgi-bin/media/get\",errcode=\"-1\"}"))
          .isEqualTo(1);
      assertThat(value(text, "tempmedia_requests_seconds_bucket{" + upload + ",le=\"10.0\"}"))
          .isEqualTo(2);
      assertThat(value(text, "tempmedia_received_bytes_total{" + upload + "}"))
          .isGreaterThan(2.0 * jpeg.length);
      assertThat(value(text, "tempmedia_sent_bytes_total{" + upload + "}")).isGreaterThan(100);
      assertThat(value(text, "tempmedia_faults_fired_total{effect=\"errcode\"}"))
          .isEqualTo(1);
      assertThat(value(text, "tempmedia_expiry_sweeps_total")).isGreaterThanOrEqualTo(1);
      assertThat(value(text, "tempmedia_expiry_removed_objects_total")).isEqualTo(2);
      assertThat(value(text, "tempmedia_stored_objects")).isZero();
      assertThat(text).contains("jvm_memory_used_bytes");
    }
  }

  @Test
  void storedObjectsAndBytesAreMeasured(@TempDir Path data) {
    try (TestServer server = new TestServer(data)) {
      String token = server.token("official-account");
      byte[] jpeg = MediaSamples.jpeg(64, 64);
      for (int i = 0; i < 3; i++) {
        server.upload(token, "image", "a.jpg", jpeg);
      }
      String text = server.get("/metrics").body();
      assertThat(value(text, "tempmedia_stored_objects")).isEqualTo(3);
      assertThat(value(text, "tempmedia_stored_bytes")).isGreaterThanOrEqualTo(3.0 * jpeg.length);
    }
  }

  @Test
  void unknownPathsShareOneSeries(@TempDir Path data) {
    try (TestServer server = new TestServer(data)) {
      for (int i = 0; i < 20; i++) {
        server.get("/probe/" + i);
      }
      String text = server.get("/metrics").body();
      assertThat(
              value(text, "tempmedia_requests_seconds_count{endpoint=\"unmatched\",errcode=\"0\"}"))
          .isEqualTo(20);
      assertThat(text).doesNotContain("/probe/");
    }
  }
}
