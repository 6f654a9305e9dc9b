package dev.tempmedia.scale;

import static dev.tempmedia.testing.PrometheusText.value;
import static dev.tempmedia.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tempmedia.testing.MediaSamples;
import dev.tempmedia.testing.ScaledBackends;
import dev.tempmedia.testing.TestServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Uploads to S3 share one budget for the parts they hold in memory ({@code
 * storage.s3.uploadMemoryMb}): with a budget smaller than one part, concurrent multipart uploads
 * still all complete, byte for byte, one part let past the budget at a time, and the memory they
 * held at once stays near the budget instead of growing with the number of uploads.
 */
class UploadMemoryTest {
  static final long MIB = 1 << 20;
  static final int PART = 5 * (int) MIB;
  static final int CHUNK = 64 * 1024;

  @TempDir
  Path data;

  @Test
  @Timeout(
      120) // a budget without its overdraft would leave every upload paused: a failure, not a hang
  void concurrentLargeUploadsWithinABudgetSmallerThanAPartAllComplete() throws Exception {
    Map<String, String> flags = new HashMap<>(ScaledBackends.get().newServerFlags());
    flags.put("storage.s3.uploadMemoryMb", "1");
    int uploads = 6;
    try (TestServer server = new TestServer(data, flags)) {
      String token = server.token("wecom");
      List<byte[]> files = new ArrayList<>();
      for (int i = 0; i < uploads; i++) {
        files.add(MediaSamples.random(2 * PART + 12345 * (i + 1), i)); // three parts each
      }
      ExecutorService clients = Executors.newFixedThreadPool(uploads);
      List<Future<String>> ids = new ArrayList<>();
      try {
        for (byte[] file : files) {
          ids.add(clients.submit(() -> json(server.upload(token, "file", "big.bin", file))
              .get("media_id")
              .asText()));
        }
        for (int i = 0; i < uploads; i++) {
          String id = ids.get(i).get();
          assertThat(id).as("upload %d", i).isNotEmpty();
          assertThat(server.download(token, id).body()).as("upload %d", i).isEqualTo(files.get(i));
        }
      } finally {
        clients.shutdownNow();
      }

      String metrics = server.get("/metrics").body();
      assertThat(value(metrics, "tempmedia_s3_upload_memory_limit_bytes")).isEqualTo(MIB);
      assertThat(value(metrics, "tempmedia_s3_upload_memory_bytes"))
          .as("every part gave its memory back")
          .isZero();
      // Unbounded, six uploads would have held up to two parts each: 60 MiB. Within the budget:
      // the budget, one part past it, and the chunk each paused upload had already begun.
      assertThat(value(metrics, "tempmedia_s3_upload_memory_peak_bytes"))
          .isGreaterThanOrEqualTo(PART)
          .isLessThanOrEqualTo(MIB + PART + 2.0 * uploads * CHUNK);
    }
  }
}
