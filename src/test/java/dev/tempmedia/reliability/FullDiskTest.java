package dev.tempmedia.reliability;

import static dev.tempmedia.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tempmedia.testing.MediaSamples;
import dev.tempmedia.testing.StoredObjects;
import dev.tempmedia.testing.TestServer;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The data directory on a 16 MB file system that runs out of space for real (ENOSPC from the kernel).
 * A full disk is a storage failure: WeChat's -1 "system error", nothing half-written left behind, what
 * was stored before still served, and everything working again once there is space.
 */
class FullDiskTest {
  private static final String SYSTEM_ERROR_MSG =
      "system error rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}";
  private static SmallFilesystem disk;
  private static int nextDataDir;

  private TestServer server;
  private StoredObjects stored;

  @BeforeAll
  static void mountSmallFilesystem() throws Exception {
    try {
      disk = SmallFilesystem.mount(16);
    } catch (IOException e) {
      Assumptions.abort(
          "a full disk needs a small file system of its own, and mounting one failed (root and"
              + " mount permission are needed; containers often deny them): " + e.getMessage());
    }
  }

  @AfterAll
  static void unmount() throws Exception {
    if (disk != null) {
      disk.close();
    }
  }

  @BeforeEach
  void start() {
    Path data = disk.root().resolve("data-" + nextDataDir++);
    // Local storage even in the scale-out run: this is about the local disk.
    server = new TestServer(data, Map.of("storage.kind", "local", "storage.fsync", "true"));
    stored = new StoredObjects(data);
  }

  @AfterEach
  void stop() throws IOException {
    server.close();
    disk.clear();
  }

  @Test
  void anUploadThatDoesNotFitAnswersSystemErrorAndLeavesNothingBehind() throws IOException {
    String token = server.token("official-account");
    Map<String, byte[]> earlier = new LinkedHashMap<>();
    for (byte[] image : List.of(
        MediaSamples.bmp(600, 500), MediaSamples.jpeg(300, 200), MediaSamples.png(120, 90))) {
      earlier.put(uploaded(server.upload(token, "image", "before.img", image)), image);
    }

    disk.fillLeaving(256 * 1024);
    byte[] big = MediaSamples.bmp(800, 800); // 1.9 MB: far more than is left
    HttpResponse<String> refused = server.upload(token, "image", "big.bmp", big);

    assertThat(refused.statusCode()).isEqualTo(200);
    JsonNode body = json(refused);
    assertThat(fieldNames(body)).as(refused.body()).containsExactly("errcode", "errmsg");
    assertThat(body.get("errcode").asInt()).isEqualTo(-1);
    assertThat(body.get("errmsg").asText()).matches(SYSTEM_ERROR_MSG);
    assertThat(stored.objects()).hasSize(earlier.size());
    assertThat(server.storedObjectCount()).isEqualTo(earlier.size());
    assertThat(stored.incoming()).as("temporary files of the refused upload").isEmpty();
    earlier.forEach((id, bytes) -> assertDownloadsIdentical(token, id, bytes));
    assertThat(server.get("/_tempmedia/health").statusCode())
        .as("health on a full disk")
        .isEqualTo(200);

    disk.removeFiller();
    String id = uploaded(server.upload(token, "image", "big.bmp", big));
    assertDownloadsIdentical(token, id, big);
    assertThat(stored.objects()).hasSize(earlier.size() + 1);
    assertThat(stored.incoming()).isEmpty();
  }

  /**
   * Issuing a token appends to the state journal. On a full disk that append fails: the call answers
   * -1 and issues nothing, tokens issued before keep working, and once there is space again tokens are
   * issued and the journal still opens after a restart (a torn line in its middle would stop the start).
   */
  @Test
  void aTokenCallOnAFullDiskAnswersSystemErrorAndTheJournalRecovers() throws IOException {
    String token = server.token("official-account");
    byte[] image = MediaSamples.png(64, 48);
    String id = uploaded(server.upload(token, "image", "before.png", image));

    disk.fillLeaving(0);
    // The journal's last page may still hold a few lines; keep asking until the disk really
    // refuses.
    List<String> issuedWhileFilling = new ArrayList<>();
    JsonNode failure = null;
    for (int i = 0; i < 500 && failure == null; i++) {
      JsonNode answer = json(server.get(tokenCall()));
      if (answer.has("access_token")) {
        issuedWhileFilling.add(answer.get("access_token").asText());
      } else {
        failure = answer;
      }
    }
    assertThat(failure).as("a token call on a full disk").isNotNull();
    assertThat(fieldNames(failure)).containsExactly("errcode", "errmsg");
    assertThat(failure.get("errcode").asInt()).isEqualTo(-1);
    assertThat(failure.get("errmsg").asText()).matches(SYSTEM_ERROR_MSG);
    String lastIssued = issuedWhileFilling.isEmpty()
        ? token
        : issuedWhileFilling.get(issuedWhileFilling.size() - 1);
    assertDownloadsIdentical(lastIssued, id, image);
    assertThat(server.get("/_tempmedia/health").statusCode())
        .as("health on a full disk")
        .isEqualTo(200);

    disk.removeFiller();
    String afterSpaceCameBack = server.token("official-account");
    String id2 = uploaded(server.upload(afterSpaceCameBack, "image", "after.png", image));
    server.restart();
    assertDownloadsIdentical(afterSpaceCameBack, id2, image);
    assertDownloadsIdentical(afterSpaceCameBack, id, image);
    assertThat(server.token("official-account")).isNotEqualTo(afterSpaceCameBack);
  }

  private static String tokenCall() {
    return "/cgi-bin/token?grant_type=client_credential&appid=" + TestServer.OA + "&secret="
        + TestServer.OA_SECRET;
  }

  private static String uploaded(HttpResponse<String> r) {
    String id = json(r).path("media_id").asText();
    assertThat(id).as(r.body()).isNotEmpty();
    return id;
  }

  private void assertDownloadsIdentical(String token, String id, byte[] bytes) {
    HttpResponse<byte[]> r = server.download(token, id);
    String type = r.headers().firstValue("Content-Type").orElse("");
    assertThat(type)
        .as(
            "download answered %s",
            type.startsWith("application/json")
                ? new String(r.body(), java.nio.charset.StandardCharsets.UTF_8)
                : type)
        .doesNotStartWith("application/json");
    assertThat(MediaSamples.sha256(r.body())).isEqualTo(MediaSamples.sha256(bytes));
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
