package dev.tempmedia.cli;

import static dev.tempmedia.testing.TestServer.CORP;
import static dev.tempmedia.testing.TestServer.CORP_SECRET;
import static dev.tempmedia.testing.TestServer.MP;
import static dev.tempmedia.testing.TestServer.MP_SECRET;
import static dev.tempmedia.testing.TestServer.OA;
import static dev.tempmedia.testing.TestServer.OA_SECRET;
import static dev.tempmedia.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tempmedia.cli.client.ResumableDownload;
import dev.tempmedia.testing.MediaSamples;
import dev.tempmedia.testing.TestServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SPEC §8's command line against a real server: token, upload, download, errors and exit codes. */
class CliTest {
  @TempDir
  Path data;

  @TempDir
  Path work;

  TestServer server;
  String url;

  @BeforeEach
  void start() {
    server = new TestServer(data);
    url = server.url("");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  CliRun oa(String... args) {
    return CliRun.of(concat(args, "--url", url, "--appid", OA, "--secret", OA_SECRET));
  }

  CliRun corp(String... args) {
    return CliRun.of(concat(args, "--url", url, "--corpid", CORP, "--secret", CORP_SECRET));
  }

  static String[] concat(String[] first, String... then) {
    String[] all = java.util.Arrays.copyOf(first, first.length + then.length);
    System.arraycopy(then, 0, all, first.length, then.length);
    return all;
  }

  Path file(String name, byte[] bytes) throws IOException {
    return Files.write(work.resolve(name), bytes);
  }

  @Test
  void tokenIsAStableTokenThatAnUploadAccepts() throws IOException {
    CliRun run = oa("token");
    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(run.err()).isEmpty();
    String token = run.value();
    assertThat(token).matches("[A-Za-z0-9_-]+");
    JsonNode upload = json(server.upload(token, "image", "photo.jpg", MediaSamples.jpeg(64, 48)));
    assertThat(upload.path("media_id").asText()).hasSize(64);
    // Not rotated by a second call: a service holding the token keeps it.
    assertThat(oa("token").value()).isEqualTo(token);
  }

  @Test
  void wecomTokenComesFromGettoken() {
    CliRun run = corp("token");
    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(run.value()).isEqualTo(server.token("wecom"));
  }

  @Test
  void uploadedJpegDownloadsByteIdentical() throws IOException {
    byte[] jpeg = MediaSamples.jpeg(640, 480);
    CliRun upload = oa("upload", "--type", "image", file("photo.jpg", jpeg).toString());
    assertThat(upload.exit()).as(upload.toString()).isZero();
    assertThat(upload.err()).as("no progress bar when stderr is not a terminal").isEmpty();
    String mediaId = upload.value();
    assertThat(mediaId).matches("[A-Za-z0-9_-]{64}");

    Path out = work.resolve("copy.jpg");
    CliRun download = oa("download", mediaId, "-o", out.toString());
    assertThat(download.exit()).as(download.toString()).isZero();
    assertThat(download.out()).isEmpty();
    assertThat(download.err()).isEmpty();
    assertThat(Files.readAllBytes(out)).isEqualTo(jpeg);
    assertThat(ResumableDownload.etagFileOf(out)).doesNotExist();
  }

  @Test
  void uploadJsonPrintsWeChatsAnswer() throws IOException {
    CliRun run = oa(
        "upload",
        "--type",
        "image",
        "--json",
        file("photo.png", MediaSamples.png(32, 32)).toString());
    assertThat(run.exit()).as(run.toString()).isZero();
    JsonNode answer = json(run.value());
    assertThat(answer.path("type").asText()).isEqualTo("image");
    assertThat(answer.path("media_id").asText()).hasSize(64);
    assertThat(answer.path("created_at").isNumber()).isTrue();
    assertThat(answer.path("created_at").asLong())
        .isCloseTo(server.clock().epochSecond(), org.assertj.core.data.Offset.offset(5L));
  }

  @Test
  void thumbUploadPrintsTheThumbMediaId() throws IOException {
    CliRun run = oa(
        "upload",
        "--type",
        "thumb",
        file("thumb.jpg", MediaSamples.jpeg(32, 32)).toString());
    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(run.value()).hasSize(64);
  }

  @Test
  void wecomFileOfSeveralMegabytesRoundTrips() throws IOException {
    byte[] payload = MediaSamples.random(6 * 1024 * 1024 + 123, 7);
    CliRun upload =
        corp("upload", "--type", "file", "--json", file("payload.bin", payload).toString());
    assertThat(upload.exit()).as(upload.toString()).isZero();
    JsonNode answer = json(upload.value());
    assertThat(answer.path("errcode").asInt()).isZero();
    assertThat(answer.path("type").asText()).isEqualTo("file");
    assertThat(answer.path("created_at").isTextual())
        .as("WeCom's created_at is a string")
        .isTrue();
    String mediaId = answer.path("media_id").asText();
    assertThat(mediaId).startsWith("3").hasSize(65);

    Path out = work.resolve("payload.copy");
    CliRun download = corp("download", mediaId, "-o", out.toString());
    assertThat(download.exit()).as(download.toString()).isZero();
    assertThat(MediaSamples.sha256(Files.readAllBytes(out)))
        .isEqualTo(MediaSamples.sha256(payload));
  }

  @Test
  void officialAccountVideoIsFetchedThroughItsVideoUrl() throws IOException {
    byte[] video = MediaSamples.mp4(300_000);
    String mediaId =
        oa("upload", "--type", "video", file("clip.mp4", video).toString()).value();
    Path out = work.resolve("clip-copy.mp4");
    CliRun download = oa("download", mediaId, "-o", out.toString());
    assertThat(download.exit()).as(download.toString()).isZero();
    assertThat(Files.readAllBytes(out)).isEqualTo(video);
  }

  @Test
  void badMediaIdIsWeChatsErrorWithExitCode1() {
    Path out = work.resolve("never.jpg");
    CliRun run = oa("download", "A".repeat(64), "-o", out.toString());
    assertThat(run.exit()).as(run.toString()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).startsWith("errcode 40007: invalid media_id");
    assertThat(out).as("nothing is written for an error").doesNotExist();
  }

  @Test
  void wrongSecretIs40125ForAnAppAnd40001ForACorp() {
    CliRun app = CliRun.of("token", "--url", url, "--appid", OA, "--secret", "wrong");
    assertThat(app.exit()).as(app.toString()).isEqualTo(1);
    assertThat(app.err()).startsWith("errcode 40125: invalid appsecret");
    CliRun corpToken = CliRun.of("token", "--url", url, "--corpid", CORP, "--secret", "wrong");
    assertThat(corpToken.exit()).isEqualTo(1);
    assertThat(corpToken.err()).startsWith("errcode 40001: invalid credential");
  }

  @Test
  void uploadRefusedByTheRulesIsExitCode1() throws IOException {
    // A Mini Program takes images only; a PNG as voice is the wrong format for an Official Account.
    CliRun mp = CliRun.of(
        "upload",
        "--url",
        url,
        "--appid",
        MP,
        "--secret",
        MP_SECRET,
        "--type",
        "voice",
        file("a.mp3", MediaSamples.mp3(2, 64)).toString());
    assertThat(mp.exit()).as(mp.toString()).isEqualTo(1);
    assertThat(mp.err()).startsWith("errcode 40004: ");
    CliRun format =
        oa("upload", "--type", "voice", file("b.png", MediaSamples.png(8, 8)).toString());
    assertThat(format.exit()).as(format.toString()).isEqualTo(1);
    assertThat(format.err()).startsWith("errcode 40005: ");
  }

  @Test
  void fileOverTheTypesLimitIsRefusedWithItsErrcode() throws IOException {
    byte[] big = MediaSamples.random(21 * 1024 * 1024, 3);
    CliRun run = corp("upload", "--type", "file", file("big.bin", big).toString());
    assertThat(run.exit()).as(run.toString()).isEqualTo(1);
    assertThat(run.err()).startsWith("errcode 45001: ");
    assertThat(server.storedObjectCount()).isZero();
  }

  @Test
  void credentialsAndUrlComeFromTheEnvironment() {
    Map<String, String> env =
        Map.of("TEMPMEDIA_URL", url, "TEMPMEDIA_APPID", OA, "TEMPMEDIA_SECRET", OA_SECRET);
    CliRun run = CliRun.of(env, false, "token");
    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(run.value()).isNotEmpty();

    Map<String, String> corpEnv =
        Map.of("TEMPMEDIA_URL", url, "TEMPMEDIA_CORPID", CORP, "TEMPMEDIA_SECRET", CORP_SECRET);
    assertThat(CliRun.of(corpEnv, false, "token").value()).isEqualTo(server.token("wecom"));
  }

  @Test
  void flagsWinOverTheEnvironment() {
    Map<String, String> env = Map.of(
        "TEMPMEDIA_URL",
        "http://127.0.0.1:1",
        "TEMPMEDIA_CORPID",
        CORP,
        "TEMPMEDIA_SECRET",
        "wrong");
    CliRun run = CliRun.of(env, false, "token", "--url", url, "--appid", OA, "--secret", OA_SECRET);
    assertThat(run.exit()).as(run.toString()).isZero();
    // The same environment alone: the corp with the wrong secret, at the wrong URL.
    CliRun envOnly = CliRun.of(env, false, "token");
    assertThat(envOnly.exit()).as(envOnly.toString()).isEqualTo(3);
  }

  @Test
  void usageErrorsAreExitCode2() {
    CliRun noType = oa("upload", "x.jpg");
    assertThat(noType.exit()).as(noType.toString()).isEqualTo(2);
    assertThat(noType.err()).contains("--type");
    CliRun both =
        CliRun.of("token", "--url", url, "--appid", OA, "--corpid", CORP, "--secret", "s");
    assertThat(both.exit()).as(both.toString()).isEqualTo(2);
    CliRun noId = CliRun.of("token", "--url", url, "--secret", "s");
    assertThat(noId.exit()).as(noId.toString()).isEqualTo(2);
    assertThat(noId.err()).contains("Missing --appid or --corpid");
    CliRun noSecret = CliRun.of("token", "--url", url, "--appid", OA);
    assertThat(noSecret.exit()).isEqualTo(2);
    assertThat(noSecret.err()).contains("Missing --secret");
    CliRun twoIds = CliRun.of(
        Map.of("TEMPMEDIA_APPID", OA, "TEMPMEDIA_CORPID", CORP, "TEMPMEDIA_SECRET", "s"),
        false,
        "token");
    assertThat(twoIds.exit()).isEqualTo(2);
    CliRun badUrl = CliRun.of("token", "--url", "ftp://example", "--appid", OA, "--secret", "s");
    assertThat(badUrl.exit()).isEqualTo(2);
    CliRun noOutput = oa("download", "A".repeat(64));
    assertThat(noOutput.exit()).isEqualTo(2);
  }

  @Test
  void unreachableServerAndMissingFileAreExitCode3() throws IOException {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    CliRun run = CliRun.of(
        "token", "--url", "http://127.0.0.1:" + closedPort, "--appid", OA, "--secret", OA_SECRET);
    assertThat(run.exit()).as(run.toString()).isEqualTo(3);
    assertThat(run.err()).startsWith("tempmedia: cannot connect to http://127.0.0.1:" + closedPort);
    assertThat(run.err()).doesNotContain(OA_SECRET);

    CliRun missing = oa("upload", "--type", "image", work.resolve("absent.jpg").toString());
    assertThat(missing.exit()).as(missing.toString()).isEqualTo(3);
    assertThat(missing.err())
        .isEqualTo(
            "tempmedia: no such file: " + work.resolve("absent.jpg") + System.lineSeparator());

    CliRun notTempmedia =
        CliRun.of("token", "--url", server.url("/nowhere"), "--appid", OA, "--secret", OA_SECRET);
    assertThat(notTempmedia.exit()).as(notTempmedia.toString()).isEqualTo(3);
    assertThat(notTempmedia.err()).contains("HTTP 404").doesNotContain(OA_SECRET);
  }

  @Test
  void progressBarOnlyOnATerminal() throws IOException {
    byte[] payload = MediaSamples.random(2_000_000, 11);
    Path in = file("p.bin", payload);
    String[] upload = {
      "upload",
      "--url",
      url,
      "--corpid",
      CORP,
      "--secret",
      CORP_SECRET,
      "--type",
      "file",
      in.toString()
    };
    CliRun piped = CliRun.of(Map.of(), false, upload);
    assertThat(piped.err()).isEmpty();
    CliRun onTerminal = CliRun.of(Map.of(), true, upload);
    assertThat(onTerminal.exit()).as(onTerminal.toString()).isZero();
    assertThat(onTerminal.err())
        .startsWith("\rupload [")
        .contains("100%  2.0 MB / 2.0 MB")
        .endsWith(System.lineSeparator());
    assertThat(onTerminal.value())
        .as("stdout keeps only the media_id")
        .startsWith("3")
        .hasSize(65);

    CliRun download = CliRun.of(
        Map.of(),
        true,
        "download",
        "--url",
        url,
        "--corpid",
        CORP,
        "--secret",
        CORP_SECRET,
        onTerminal.value(),
        "-o",
        work.resolve("p.copy").toString());
    assertThat(download.exit()).as(download.toString()).isZero();
    assertThat(download.err()).contains("\rdownload [").contains("100%  2.0 MB / 2.0 MB");
  }

  @Test
  void helpListsTheExitCodes() {
    for (String command : new String[] {"token", "upload", "download"}) {
      CliRun help = CliRun.of(command, "--help");
      assertThat(help.exit()).isZero();
      assertThat(help.out())
          .contains("Exit codes:")
          .contains("network or file error")
          .contains("TEMPMEDIA_SECRET");
    }
  }

  @Test
  void eachCommandIsRegisteredUnderItsOwnName() {
    Main.COMMANDS.forEach(
        (name, command) -> assertThat(new picocli.CommandLine(command.get()).getCommandName())
            .as("Main.COMMANDS key of %s", command.get().getClass().getSimpleName())
            .isEqualTo(name));
  }

  @Test
  void helpListsEveryCommandAndACommandsOwnHelpNamesItUnderTempmedia() {
    // Without a command every one is registered, so the help lists them all (but the hidden train).
    CliRun help = CliRun.of("--help");
    assertThat(help.exit()).isZero();
    Main.COMMANDS.forEach((name, command) -> {
      boolean hidden =
          new picocli.CommandLine(command.get()).getCommandSpec().usageMessage().hidden();
      if (hidden) {
        assertThat(help.out()).doesNotContainPattern("(?m)^\\s+" + name + "\\s");
      } else {
        assertThat(help.out()).as(help.toString()).containsPattern("(?m)^\\s+" + name + "\\s");
      }
    });
    assertThat(Main.COMMANDS).containsKey("train");
    // No arguments at all print the same help, on the command line's own output.
    CliRun none = CliRun.of();
    assertThat(none.exit()).isZero();
    assertThat(none.out()).isEqualTo(help.out());
    // With one, only that one is built; its help still names it as a subcommand of tempmedia.
    CliRun serve = CliRun.of("serve", "--help");
    assertThat(serve.exit()).isZero();
    assertThat(serve.out()).startsWith("Usage: tempmedia serve ").contains("--data=DIR");
    // A mistyped command is told apart from the real ones, which are then all known.
    CliRun typo = CliRun.of("serv");
    assertThat(typo.exit()).as(typo.toString()).isEqualTo(2);
    assertThat(typo.err()).contains("serv").contains("serve");
  }
}
