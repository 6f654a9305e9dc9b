package dev.tempmedia.cli;

import static dev.tempmedia.testing.TestServer.CORP;
import static dev.tempmedia.testing.TestServer.CORP_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tempmedia.cli.client.ResumableDownload;
import dev.tempmedia.testing.MediaSamples;
import dev.tempmedia.testing.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code download --resume}: a download broken off part way is completed byte for byte. */
class CliResumeTest {
  static final int SIZE = 5 * 1024 * 1024 + 77;
  static final long CUT_AFTER = 1_500_000;

  @TempDir
  Path data;

  @TempDir
  Path work;

  TestServer server;
  byte[] payload;
  String mediaId;
  Path out;

  @BeforeEach
  void start() throws IOException {
    server = new TestServer(data);
    payload = MediaSamples.random(SIZE, 42);
    Path in = Files.write(work.resolve("payload.bin"), payload);
    CliRun upload = download("upload", server.url(""), "--type", "file", in.toString());
    assertThat(upload.exit()).as(upload.toString()).isZero();
    mediaId = upload.value();
    out = work.resolve("payload.copy");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** A command as the WeCom dev corp against the given URL. */
  static CliRun download(String command, String url, String... rest) {
    String[] args = CliTest.concat(
        new String[] {command, "--url", url, "--corpid", CORP, "--secret", CORP_SECRET}, rest);
    return CliRun.of(args);
  }

  String etag() {
    return MediaSamples.etag(payload);
  }

  @Test
  void brokenOffDownloadIsResumedByteIdentical() throws IOException {
    try (CuttingProxy proxy = new CuttingProxy(server.server().port(), CUT_AFTER)) {
      CliRun first = download("download", proxy.url(), mediaId, "-o", out.toString());
      assertThat(proxy.didCut()).isTrue();
      assertThat(first.exit()).as(first.toString()).isEqualTo(3);
      assertThat(first.err())
          .startsWith("tempmedia: the download broke off after ")
          .contains("--resume");
      long partial = Files.size(out);
      assertThat(partial).isPositive().isLessThan(CUT_AFTER).isLessThan(SIZE);
      assertThat(Files.readAllBytes(out)).isEqualTo(Arrays.copyOf(payload, (int) partial));
      assertThat(ResumableDownload.etagFileOf(out)).hasContent(etag());

      CliRun resumed = download("download", proxy.url(), mediaId, "-o", out.toString(), "--resume");
      assertThat(resumed.exit()).as(resumed.toString()).isZero();
      assertThat(MediaSamples.sha256(Files.readAllBytes(out)))
          .isEqualTo(MediaSamples.sha256(payload));
      assertThat(ResumableDownload.etagFileOf(out)).doesNotExist();

      assertThat(proxy.downloadHeads()).hasSize(2);
      String second = proxy.downloadHeads().get(1);
      assertThat(second)
          .containsIgnoringCase("\r\nRange: bytes=" + partial + "-\r\n")
          .containsIgnoringCase("\r\nIf-Range: " + etag() + "\r\n");
    }
  }

  @Test
  void silentConnectionGivesUpAfterTheTimeoutAndResumes() throws IOException {
    try (CuttingProxy proxy =
        new CuttingProxy(server.server().port(), CUT_AFTER, CuttingProxy.Mode.STALL_DOWNLOAD)) {
      long started = System.nanoTime();
      CliRun first =
          download("download", proxy.url(), mediaId, "-o", out.toString(), "--timeout", "2");
      assertThat(first.exit()).as(first.toString()).isEqualTo(3);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
      assertThat(first.err()).contains("(no data for 2 s)").contains("--resume");
      long partial = Files.size(out);
      assertThat(partial).isPositive().isLessThan(SIZE);

      CliRun resumed = download(
          "download", proxy.url(), mediaId, "-o", out.toString(), "--resume", "--timeout", "2");
      assertThat(resumed.exit()).as(resumed.toString()).isZero();
      assertThat(MediaSamples.sha256(Files.readAllBytes(out)))
          .isEqualTo(MediaSamples.sha256(payload));
      assertThat(proxy.downloadHeads().get(1))
          .containsIgnoringCase("\r\nRange: bytes=" + partial + "-\r\n");
    }
  }

  @Test
  void uploadThatStopsMovingGivesUpAfterTheTimeout() throws IOException {
    // Bigger than what the loopback's socket buffers take in before the sender blocks.
    Path big = Files.write(work.resolve("big.bin"), MediaSamples.random(18 * 1024 * 1024, 8));
    try (CuttingProxy proxy =
        new CuttingProxy(server.server().port(), 300_000, CuttingProxy.Mode.STALL_UPLOAD)) {
      long started = System.nanoTime();
      CliRun run =
          download("upload", proxy.url(), "--type", "file", "--timeout", "2", big.toString());
      assertThat(run.exit()).as(run.toString()).isEqualTo(3);
      assertThat(run.err())
          .startsWith("tempmedia: the upload to " + proxy.url() + " made no progress for 2 s");
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
    }
  }

  @Test
  void resumingACompleteFileLeavesIt() throws IOException {
    CliRun whole = download("download", server.url(""), mediaId, "-o", out.toString());
    assertThat(whole.exit()).as(whole.toString()).isZero();
    try (CuttingProxy proxy = new CuttingProxy(server.server().port(), Long.MAX_VALUE)) {
      CliRun again = download("download", proxy.url(), mediaId, "-o", out.toString(), "--resume");
      assertThat(again.exit()).as(again.toString()).isZero();
      assertThat(proxy.downloadHeads())
          .singleElement()
          .asString()
          .containsIgnoringCase("\r\nRange: bytes=" + SIZE + "-\r\n");
    }
    assertThat(MediaSamples.sha256(Files.readAllBytes(out)))
        .isEqualTo(MediaSamples.sha256(payload));
    assertThat(ResumableDownload.etagFileOf(out)).doesNotExist();
  }

  @Test
  void changedEtagRestartsFromTheStart() throws IOException {
    // A partial file from another version of the content: If-Range fails and the server sends all
    // of it.
    byte[] stale = MediaSamples.random(700_000, 99);
    Files.write(out, stale);
    Files.writeString(
        ResumableDownload.etagFileOf(out), MediaSamples.etag(stale), StandardCharsets.US_ASCII);
    try (CuttingProxy proxy = new CuttingProxy(server.server().port(), Long.MAX_VALUE)) {
      CliRun resumed = download("download", proxy.url(), mediaId, "-o", out.toString(), "--resume");
      assertThat(resumed.exit()).as(resumed.toString()).isZero();
      assertThat(proxy.downloadHeads())
          .singleElement()
          .asString()
          .containsIgnoringCase("\r\nRange: bytes=700000-\r\n")
          .containsIgnoringCase("\r\nIf-Range: " + MediaSamples.etag(stale) + "\r\n");
    }
    assertThat(Files.size(out)).isEqualTo(SIZE);
    assertThat(MediaSamples.sha256(Files.readAllBytes(out)))
        .isEqualTo(MediaSamples.sha256(payload));
    assertThat(ResumableDownload.etagFileOf(out)).doesNotExist();
  }

  @Test
  void withoutResumeAnExistingFileIsOverwritten() throws IOException {
    Files.write(out, MediaSamples.random(SIZE + 1000, 5));
    CliRun run = download("download", server.url(""), mediaId, "-o", out.toString());
    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(Files.readAllBytes(out)).isEqualTo(payload);
  }

  @Test
  void resumeOfALongerFileStartsAgain() throws IOException {
    // Longer than the media: no prefix of it, the 416 names another length.
    Files.write(out, MediaSamples.random(SIZE + 1000, 5));
    CliRun run = download("download", server.url(""), mediaId, "-o", out.toString(), "--resume");
    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(Files.readAllBytes(out)).isEqualTo(payload);
  }

  @Test
  void errorDuringResumeKeepsThePartialFile() throws IOException {
    byte[] partial = Arrays.copyOf(payload, 1000);
    Files.write(out, partial);
    CliRun run = download(
        "download", server.url(""), "3" + "A".repeat(64), "-o", out.toString(), "--resume");
    assertThat(run.exit()).as(run.toString()).isEqualTo(1);
    assertThat(run.err()).startsWith("errcode 40007: ");
    assertThat(Files.readAllBytes(out)).isEqualTo(partial);
  }
}
