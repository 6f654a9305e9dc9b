package dev.tempmedia.reliability;

import static dev.tempmedia.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tempmedia.testing.MediaSamples;
import dev.tempmedia.testing.Multipart;
import dev.tempmedia.testing.RawHttp;
import dev.tempmedia.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * What an attacker can try with what the server hands out: altered tokens and media_ids, another
 * app's media, reading credentials from the logs, injecting headers or paths through file names.
 */
class SecurityTest {
  private static final String ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  private static final int FLIPS_EACH = 1_000;

  @TempDir
  Path root;

  TestServer server;

  @BeforeEach
  void start() {
    server = new TestServer(root.resolve("data"));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  // ---- altered tokens and ids
  // --------------------------------------------------------------------

  @Test
  void alteredTokensAndMediaIdsAreRefused() {
    String token = server.token("official-account");
    byte[] image = MediaSamples.jpeg(20, 20);
    String id =
        json(server.upload(token, "image", "a.jpg", image)).get("media_id").asText();
    Random random = new Random(20_261_125L);
    int tried = 0;
    for (String forged : mutations(token, random)) {
      assertRefused(server.download(forged, id), 40001, "token " + forged);
      tried++;
    }
    for (String forged : mutations(id, random)) {
      assertRefused(server.download(token, forged), 40007, "media_id " + forged);
      tried++;
    }
    System.out.printf("altered tokens and media_ids tried: %d%n", tried);
    assertThat(server.download(token, id).body())
        .as("the genuine pair still works")
        .isEqualTo(image);
  }

  /**
   * {@value #FLIPS_EACH} single-bit flips of the decoded bytes (re-encoded, so they reach the signature
   * check), as many multi-character overwrites of the text, and every other last character (where
   * base64 has bits to spare).
   */
  static List<String> mutations(String genuine, Random random) {
    List<String> out = new ArrayList<>();
    String prefix = genuine.length() == 65 ? genuine.substring(0, 1) : "";
    String text = genuine.substring(prefix.length());
    byte[] raw = Base64.getUrlDecoder().decode(text);
    for (int i = 0; i < FLIPS_EACH / 2; i++) {
      byte[] flipped = raw.clone();
      int bit = random.nextInt(raw.length * 8);
      flipped[bit / 8] ^= (byte) (1 << (bit % 8));
      out.add(prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(flipped));
    }
    for (int i = 0; i < FLIPS_EACH / 2; i++) {
      char[] chars = text.toCharArray();
      int changes = 2 + random.nextInt(6);
      for (int c = 0; c < changes; c++) {
        int at = random.nextInt(chars.length);
        char now = chars[at];
        while (chars[at] == now) {
          chars[at] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
        }
      }
      out.add(prefix + new String(chars));
    }
    for (char c : ALPHABET.toCharArray()) {
      if (c != text.charAt(text.length() - 1)) {
        out.add(prefix + text.substring(0, text.length() - 1) + c);
      }
    }
    return out;
  }

  static void assertRefused(HttpResponse<byte[]> r, int code, String what) {
    assertThat(r.statusCode()).as(what).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type"))
        .as(what)
        .contains("application/json; encoding=utf-8");
    assertThat(
            json(new String(r.body(), StandardCharsets.UTF_8)).path("errcode").asInt())
        .as(what)
        .isEqualTo(code);
  }

  // ---- isolation
  // ---------------------------------------------------------------------------------

  @Test
  void mediaOfOneAppIsNeverServedToAnother() {
    String oa = server.token("official-account");
    String mp = server.token("mini-program");
    String corp = server.token("wecom");
    String oaId = json(server.upload(oa, "image", "a.jpg", MediaSamples.jpeg(20, 20)))
        .get("media_id")
        .asText();
    String mpId = json(server.upload(mp, "image", "b.png", MediaSamples.png(20, 20)))
        .get("media_id")
        .asText();
    String corpId = json(server.upload(corp, "image", "c.png", MediaSamples.png(20, 20)))
        .get("media_id")
        .asText();

    assertRefused(
        server.download(mp, oaId), 40007, "Official Account id with a Mini Program token");
    assertRefused(server.download(corp, oaId), 40007, "Official Account id with a WeCom token");
    assertRefused(
        server.download(corp, "3" + oaId), 40007, "Official Account id dressed as WeCom's");
    assertRefused(
        server.download(oa, mpId), 40007, "Mini Program id with an Official Account token");
    assertRefused(server.download(corp, "3" + mpId), 40007, "Mini Program id dressed as WeCom's");
    assertRefused(
        server.download(oa, corpId.substring(1)),
        40007,
        "WeCom id without its prefix, Official Account");
    assertRefused(
        server.download(mp, corpId.substring(1)),
        40007,
        "WeCom id without its prefix, Mini Program");
  }

  // ---- logs
  // --------------------------------------------------------------------------------------

  @Test
  void secretsAndTokensNeverReachTheLogs() throws Exception {
    Logger rootLogger = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    captured.start();
    rootLogger.addAppender(captured);
    List<String> tokens = new ArrayList<>();
    String wrongSecret = "devsecretWRONGWRONGWRONGWRONG0001";
    try {
      tokens.add(server.token("official-account"));
      tokens.add(server.token("mini-program"));
      tokens.add(server.token("wecom"));
      tokens.add(json(server.postJson(
              "/cgi-bin/stable_token",
              "{\"grant_type\":\"client_credential\",\"appid\":\"" + TestServer.OA
                  + "\",\"secret\":\"" + TestServer.OA_SECRET + "\"}"))
          .get("access_token")
          .asText());
      String id = json(server.upload(tokens.get(0), "image", "a.jpg", MediaSamples.jpeg(20, 20)))
          .get("media_id")
          .asText();
      server.download(tokens.get(0), id);
      String fileId = json(server.upload(
              tokens.get(2), "file", "f.bin", MediaSamples.random(100, 3)))
          .get("media_id")
          .asText();
      server.download(tokens.get(2), fileId);
      // Failures, whose diagnoses are logged with care.
      server.get("/cgi-bin/token?grant_type=client_credential&appid=" + TestServer.OA + "&secret="
          + wrongSecret);
      server.get("/cgi-bin/gettoken?corpid=" + TestServer.CORP + "&corpsecret=" + wrongSecret);
      server.postJson(
          "/cgi-bin/stable_token",
          "{\"grant_type\":\"client_credential\",\"appid\":\"" + TestServer.OA + "\",\"secret\":\""
              + wrongSecret + "\"}");
      // Broken escapes, which no HTTP client library would send.
      rawGet("/cgi-bin/token?grant_type=client_credential&appid=" + TestServer.OA + "&secret="
          + TestServer.OA_SECRET + "%Z");
      rawGet("/cgi-bin/media/get?access_token=" + tokens.get(0) + "&media_id=" + id.substring(0, 62)
          + "%Z");
      server.get("/cgi-bin/media/get?access%5Ftoken=" + tokens.get(0) + "&media_id=" + id);
      server.get("/cgi-bin/media/get?access_token=" + tokens.get(1) + "&media_id=" + id);
      server.upload(tokens.get(0), "voice", "a.jpg", MediaSamples.jpeg(20, 20));
      server.upload(tokens.get(0) + "x", "image", "a.jpg", MediaSamples.jpeg(20, 20));
      RawHttp.exchange(
          server.server().port(),
          RawHttp.concat(
              RawHttp.head(
                  "POST /cgi-bin/media/upload?type=image&access_token=" + tokens.get(0)
                          + " HTTP/1.1",
                      "Host: x",
                  "Content-Type: " + new Multipart().contentType(), "Transfer-Encoding: chunked"),
              "zz\r\nbroken\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII)),
          false);
      awaitAccessLines(captured, 16);
    } finally {
      rootLogger.detachAppender(captured);
    }

    List<String> lines = captured.list.stream().map(SecurityTest::render).toList();
    assertThat(lines).as("captured log lines").hasSizeGreaterThanOrEqualTo(16);
    List<String> forbidden = new ArrayList<>(tokens);
    forbidden.addAll(
        List.of(TestServer.OA_SECRET, TestServer.MP_SECRET, TestServer.CORP_SECRET, wrongSecret));
    for (String line : lines) {
      for (String secret : forbidden) {
        assertThat(line).as("a log line").doesNotContain(secret);
      }
      assertThat(line).doesNotContain("devsecret");
    }
    System.out.printf(
        "log lines scanned: %d, for %d secrets and tokens%n", lines.size(), forbidden.size());
  }

  void rawGet(String pathAndQuery) throws java.io.IOException {
    RawHttp.exchange(
        server.server().port(),
        RawHttp.head("GET " + pathAndQuery + " HTTP/1.1", "Host: x"),
        false);
  }

  /** The access log is written when a response ends, which may be just after the client read it. */
  static void awaitAccessLines(ListAppender<ILoggingEvent> captured, int expected)
      throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      long access;
      synchronized (captured.list) {
        access = captured.list.stream()
            .filter(e -> e.getLoggerName().equals("tempmedia.access"))
            .count();
      }
      if (access >= expected) {
        return;
      }
      Thread.sleep(20);
    }
  }

  /** The message with its arguments, and every exception's text and causes: all a log file would hold. */
  static String render(ILoggingEvent event) {
    StringBuilder out = new StringBuilder(event.getFormattedMessage());
    for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
      out.append(" | ").append(t.getClassName()).append(": ").append(t.getMessage());
    }
    return out.toString();
  }

  // ---- file names
  // --------------------------------------------------------------------------------

  @Test
  void headersCannotBeInjectedThroughFileNames() throws Exception {
    String corp = server.token("wecom");
    for (String disposition : List.of(
        "form-data; name=\"media\"; filename*=UTF-8''evil%0D%0ASet-Cookie%3A%20x%3Dy%0D%0A%0D%0A.txt",
        "form-data; name=\"media\"; filename=\"evil%0D%0ASet-Cookie: x=y.txt\"",
        "form-data; name=\"media\"; filename=\"evil.txt\r\n Set-Cookie: x=y\"")) {
      Multipart form = new Multipart()
          .part("Content-Disposition: " + disposition + "\r\n", MediaSamples.random(64, 5));
      JsonNode up = json(server.uploadRaw(
          "/cgi-bin/media/upload?access_token=" + corp + "&type=file",
          form.contentType(),
          form.close()));
      String id = up.path("media_id").asText();
      assertThat(id).as(up.toString()).hasSize(65);

      RawHttp.Response down = RawHttp.exchange(
          server.server().port(),
          RawHttp.head(
              "GET /cgi-bin/media/get?access_token=" + corp + "&media_id=" + id + " HTTP/1.1",
              "Host: x"),
          false);
      assertThat(down.status()).isEqualTo(200);
      assertThat(down.count("Set-Cookie")).as(down.head()).isZero();
      assertThat(down.count("Content-disposition")).as(down.head()).isEqualTo(1);
      assertThat(down.head().split("\r\n", -1))
          .as("every head line is a status or a field")
          .allSatisfy(
              line -> assertThat(line).matches("|HTTP/1\\.1 200 OK|[A-Za-z-]+: [\\x20-\\x7E]*"));
      assertThat(down.header("Content-disposition"))
          .doesNotContain("\r", "\n")
          .startsWith("attachment; filename*=utf-8''");
      assertThat(down.body()).hasSize(64);
    }
  }

  @Test
  void storageKeysNeverComeFromTheFileName() throws Exception {
    Assumptions.assumeTrue(server.local(), "looks at the local disk layout");
    String corp = server.token("wecom");
    String oa = server.token("official-account");
    assertThat(json(server.upload(corp, "file", "../../etc/passwd", MediaSamples.random(100, 8)))
            .has("media_id"))
        .isTrue();
    assertThat(
            json(server.upload(corp, "file", "..\\..\\..\\evil.bin", MediaSamples.random(100, 9)))
                .has("media_id"))
        .isTrue();
    assertThat(
            json(server.upload(oa, "image", "../../../../tmp/evil.jpg", MediaSamples.jpeg(20, 20)))
                .has("media_id"))
        .isTrue();
    Path media = root.resolve("data/media");
    List<Path> stored;
    try (Stream<Path> walk = Files.walk(media)) {
      stored = walk.filter(Files::isRegularFile).toList();
    }
    assertThat(stored).hasSize(3);
    for (Path file : stored) {
      assertThat(media.relativize(file).toString().replace('\\', '/'))
          .as("a stored object's path")
          .matches("[0-9a-f]{16}/\\d{4}/\\d{2}/\\d{2}/\\d{2}/[0-9a-f]{32}");
    }
    try (Stream<Path> everything = Files.walk(root)) {
      assertThat(everything.map(p -> p.getFileName().toString()))
          .as("no file named after an upload anywhere under the test's directory")
          .doesNotContainAnyElementsOf(Set.of("passwd", "evil.bin", "evil.jpg"));
    }
  }
}
