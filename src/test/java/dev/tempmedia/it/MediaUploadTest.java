package dev.tempmedia.it;

import static dev.tempmedia.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tempmedia.testing.MediaSamples;
import dev.tempmedia.testing.Multipart;
import dev.tempmedia.testing.TestServer;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** SPEC §3 over real HTTP: answers of the three products, every upload error, and the multipart edge cases. */
class MediaUploadTest {
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

  // ---- success shapes --------------------------------------------------------------------------

  @Test
  void officialAccountAnswersWithoutEnvelopeAndANumericCreatedAt() {
    long before = server.clock().epochSecond();
    HttpResponse<String> r = server.upload(
        server.token("official-account"), "image", "a.jpg", MediaSamples.jpeg(20, 20));
    assertThat(r.headers().firstValue("Content-Type")).contains("application/json; encoding=utf-8");
    JsonNode body = json(r);
    assertThat(fieldNames(body)).containsExactly("type", "media_id", "created_at");
    assertThat(body.get("type").asText()).isEqualTo("image");
    assertThat(body.get("media_id").asText()).matches("[A-Za-z0-9_-]{64}");
    assertThat(body.get("created_at").isNumber()).isTrue();
    assertThat(body.get("created_at").asLong()).isBetween(before, before + 5);
  }

  @Test
  void thumbAnswersUnderThumbMediaId() {
    JsonNode body = json(server.upload(
        server.token("official-account"), "thumb", "t.jpg", MediaSamples.jpeg(20, 20)));
    assertThat(fieldNames(body)).containsExactly("type", "thumb_media_id", "created_at");
    assertThat(body.get("thumb_media_id").asText()).hasSize(64);
  }

  @Test
  void miniProgramAnswersWithTheOkEnvelope() {
    JsonNode body = json(
        server.upload(server.token("mini-program"), "image", "a.png", MediaSamples.png(20, 20)));
    assertThat(fieldNames(body))
        .containsExactly("errcode", "errmsg", "type", "media_id", "created_at");
    assertThat(body.get("errcode").asInt()).isZero();
    assertThat(body.get("errmsg").asText()).isEqualTo("ok");
    assertThat(body.get("created_at").isNumber()).isTrue();
  }

  @Test
  void wecomAnswersCreatedAtAsAStringAndA65CharacterId() {
    JsonNode body = json(
        server.upload(server.token("wecom"), "file", "report.pdf", MediaSamples.random(100, 1)));
    assertThat(fieldNames(body))
        .containsExactly("errcode", "errmsg", "type", "media_id", "created_at");
    assertThat(body.get("type").asText()).isEqualTo("file");
    assertThat(body.get("created_at").isTextual()).isTrue();
    assertThat(body.get("created_at").asText()).matches("\\d{10}");
    assertThat(body.get("media_id").asText())
        .hasSize(65)
        .startsWith("3")
        .matches("3[A-Za-z0-9_-]{64}");
  }

  /** Every type each product takes, in every accepted format: stored and served back byte-identical. */
  static Stream<Arguments> accepted() {
    return Stream.of(
        Arguments.of("official-account", "image", "jpg", MediaSamples.jpeg(30, 20), "image/jpeg"),
        Arguments.of("official-account", "image", "png", MediaSamples.png(30, 20), "image/png"),
        Arguments.of("official-account", "image", "gif", MediaSamples.gif(30, 20), "image/gif"),
        Arguments.of("official-account", "image", "bmp", MediaSamples.bmp(30, 20), "image/bmp"),
        Arguments.of("official-account", "voice", "amr", MediaSamples.amr(3), "audio/amr"),
        Arguments.of("official-account", "voice", "mp3", MediaSamples.mp3(3, 128), "audio/mpeg"),
        Arguments.of("official-account", "thumb", "jpg", MediaSamples.jpeg(30, 20), "image/jpeg"),
        Arguments.of("mini-program", "image", "jpg", MediaSamples.jpeg(30, 20), "image/jpeg"),
        Arguments.of("mini-program", "image", "png", MediaSamples.png(30, 20), "image/png"),
        Arguments.of("mini-program", "image", "gif", MediaSamples.gif(30, 20), "image/gif"),
        Arguments.of("wecom", "image", "jpg", MediaSamples.jpeg(30, 20), "image/jpeg"),
        Arguments.of("wecom", "image", "png", MediaSamples.png(30, 20), "image/png"),
        Arguments.of("wecom", "voice", "amr", MediaSamples.amr(3), "audio/amr"),
        Arguments.of("wecom", "video", "mp4", MediaSamples.mp4(5000), "video/mp4"),
        Arguments.of("wecom", "file", "pdf", MediaSamples.random(5000, 2), "application/pdf"));
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("accepted")
  void acceptedUploadsComeBackByteIdentical(
      String product, String type, String ext, byte[] file, String contentType) {
    String token = server.token(product);
    JsonNode body = json(server.upload(token, type, "sample." + ext, file));
    assertThat(body.path("errcode").asInt(0)).as(body.toString()).isZero();
    String id = body.path(type.equals("thumb") ? "thumb_media_id" : "media_id").asText();
    HttpResponse<byte[]> down = server.download(token, id);
    assertThat(down.statusCode()).isEqualTo(200);
    assertThat(down.headers().firstValue("Content-Type")).contains(contentType);
    assertThat(MediaSamples.sha256(down.body())).isEqualTo(MediaSamples.sha256(file));
  }

  // ---- errors ----------------------------------------------------------------------------------

  static Stream<Arguments> refusals() {
    byte[] jpeg = MediaSamples.jpeg(10, 10);
    byte[] png = MediaSamples.png(10, 10);
    return Stream.of(
        Arguments.of("type missing", "official-account", null, jpeg, 40004),
        Arguments.of("unknown type", "official-account", "picture", jpeg, 40004),
        Arguments.of("type in capitals", "official-account", "IMAGE", jpeg, 40004),
        Arguments.of(
            "file is not an Official Account type", "official-account", "file", jpeg, 40004),
        Arguments.of("mini program voice", "mini-program", "voice", MediaSamples.amr(1), 40004),
        Arguments.of("mini program video", "mini-program", "video", MediaSamples.mp4(1000), 40004),
        Arguments.of("thumb is not a WeCom type", "wecom", "thumb", jpeg, 40004),
        Arguments.of("thumb takes JPEG only", "official-account", "thumb", png, 40005),
        Arguments.of(
            "text as an image",
            "official-account",
            "image",
            "hello".repeat(10).getBytes(StandardCharsets.UTF_8),
            40005),
        Arguments.of("mp4 as voice", "official-account", "voice", MediaSamples.mp4(1000), 40005),
        Arguments.of("mp3 as WeCom voice", "wecom", "voice", MediaSamples.mp3(2, 128), 40005),
        Arguments.of(
            "bmp on a mini program", "mini-program", "image", MediaSamples.bmp(10, 10), 40005),
        Arguments.of("gif on WeCom", "wecom", "image", MediaSamples.gif(10, 10), 40005),
        Arguments.of("jpeg as video", "official-account", "video", jpeg, 40005),
        Arguments.of("empty file", "official-account", "image", new byte[0], 44001),
        Arguments.of("empty WeCom file", "wecom", "file", new byte[0], 44001),
        Arguments.of(
            "WeCom file of 5 bytes",
            "wecom",
            "file",
            "12345".getBytes(StandardCharsets.US_ASCII),
            40006),
        Arguments.of(
            "WeCom image of 5 bytes",
            "wecom",
            "image",
            new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0, 0},
            40006));
  }

  @ParameterizedTest(name = "{0} answers {4}")
  @MethodSource("refusals")
  void refusedUploadsAnswerTheirCodeAndKeepNothing(
      String name, String product, String type, byte[] file, int code) {
    String token = server.token(product);
    String query =
        "/cgi-bin/media/upload?access_token=" + token + (type == null ? "" : "&type=" + type);
    Multipart form = new Multipart().media("x.bin", file);
    HttpResponse<String> r = server.uploadRaw(query, form.contentType(), form.close());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).contains("application/json; encoding=utf-8");
    JsonNode body = json(r);
    assertThat(body.get("errcode").asInt()).as(r.body()).isEqualTo(code);
    if (product.equals("wecom")) {
      assertThat(body.get("errmsg").asText()).contains(", hint: [").contains("more info at");
      assertThat(r.headers().firstValue("Error-Code")).contains(Integer.toString(code));
    } else {
      assertThat(body.get("errmsg").asText())
          .matches(".* rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}");
    }
    assertNothingStored();
  }

  @Test
  void errorTextsAreWeChats() {
    String token = server.token("official-account");
    assertThat(json(server.upload(token, "thumb", "a.png", MediaSamples.png(5, 5)))
            .get("errmsg")
            .asText())
        .startsWith("invalid file type rid: ");
    assertThat(json(server.upload(token, "bogus", "a.png", MediaSamples.png(5, 5)))
            .get("errmsg")
            .asText())
        .startsWith("invalid media type rid: ");
    assertThat(json(server.upload(token, "image", "a.png", new byte[0]))
            .get("errmsg")
            .asText())
        .startsWith("empty media data rid: ");
    String corp = server.token("wecom");
    assertThat(json(server.upload(corp, "file", "a", new byte[] {1, 2, 3}))
            .get("errmsg")
            .asText())
        .startsWith("invalid meida size, hint: [");
  }

  @Test
  void tokenErrorsComeFirst() {
    byte[] form = new Multipart().media("a.jpg", MediaSamples.jpeg(5, 5)).close();
    String ct = new Multipart().contentType();
    assertThat(json(server.uploadRaw("/cgi-bin/media/upload?type=image", ct, form))
            .get("errcode")
            .asInt())
        .isEqualTo(41001);
    assertThat(
            json(server.uploadRaw("/cgi-bin/media/upload?type=bogus&access_token=forged", ct, form))
                .get("errcode")
                .asInt())
        .isEqualTo(40001);
    String token = server.token("official-account");
    server.clock().advance(java.time.Duration.ofHours(2));
    assertThat(json(server.uploadRaw(
                "/cgi-bin/media/upload?type=bogus&access_token=" + token, ct, form))
            .get("errcode")
            .asInt())
        .isEqualTo(42001);
  }

  @Test
  void uploadTakesPostOnly() {
    JsonNode body = json(server.get(
        "/cgi-bin/media/upload?type=image&access_token=" + server.token("official-account")));
    assertThat(body.get("errcode").asInt()).isEqualTo(43002);
  }

  @Test
  void noMediaPartIs41005() {
    String token = server.token("official-account");
    Multipart form = new Multipart()
        .part(
            "Content-Disposition: form-data; name=\"file\"; filename=\"a.jpg\"\r\n",
            MediaSamples.jpeg(5, 5));
    assertThat(json(server.uploadRaw(path(token, "image"), form.contentType(), form.close()))
            .get("errcode")
            .asInt())
        .isEqualTo(41005);
    assertThat(json(server.uploadRaw(
                path(token, "image"), "application/octet-stream", MediaSamples.jpeg(5, 5)))
            .get("errcode")
            .asInt())
        .isEqualTo(41005);
    assertThat(json(server.uploadRaw(path(token, "image"), null, new byte[0]))
            .get("errcode")
            .asInt())
        .isEqualTo(41005);
    byte[] truncated = new Multipart().media("a.jpg", MediaSamples.jpeg(5, 5)).unclosed();
    assertThat(
            json(server.uploadRaw(path(token, "image"), new Multipart().contentType(), truncated))
                .get("errcode")
                .asInt())
        .isEqualTo(41005);
    assertNothingStored();
  }

  @Test
  void twoMediaPartsAreRefused() {
    Multipart form = new Multipart()
        .media("a.jpg", MediaSamples.jpeg(5, 5))
        .media("b.jpg", MediaSamples.jpeg(6, 6));
    JsonNode body = json(server.uploadRaw(
        path(server.token("official-account"), "image"), form.contentType(), form.close()));
    assertThat(body.get("errcode").asInt()).isEqualTo(47001);
    assertNothingStored();
  }

  @Test
  void bodyOverTheServerCapIsRefusedFromContentLengthAlone() throws Exception {
    // The declared length alone decides: the client is answered before it sends a byte of the body.
    String token = server.token("wecom");
    try (java.net.Socket socket =
        new java.net.Socket("127.0.0.1", server.server().port())) {
      String head = "POST " + path(token, "file") + " HTTP/1.1\r\nHost: x\r\nContent-Type: "
          + new Multipart().contentType()
          + "\r\nContent-Length: 30000000\r\nExpect: 100-continue\r\n\r\n";
      socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
      socket.setSoTimeout(5000);
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(answer)
          .startsWith("HTTP/1.1 200")
          .contains("\"errcode\":45001")
          .containsIgnoringCase("connection: close");
      assertThat(answer).doesNotContain("100 Continue");
    }
    HttpResponse<String> image = server.uploadRaw(
        path(server.token("official-account"), "image"),
        new Multipart().contentType(),
        new byte[11 * 1024 * 1024]);
    assertThat(json(image).get("errcode").asInt()).isEqualTo(40009);
    assertNothingStored();
  }

  @Test
  void chunkedBodyIsCutOffAtTheLimitAndTheClientStillReadsTheAnswer() {
    byte[] file = MediaSamples.padTo(
        MediaSamples.jpeg(10, 10),
        dev.tempmedia.media.format.MediaFormat.JPEG,
        10 * 1024 * 1024 + 1);
    byte[] form = new Multipart().media("big.jpg", file).close();
    HttpRequest request = HttpRequest.newBuilder(
            URI.create(server.url(path(server.token("official-account"), "image"))))
        .header("Content-Type", new Multipart().contentType())
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(form)))
        .build();
    HttpResponse<String> r = server.send(request);
    assertThat(json(r).get("errcode").asInt()).isEqualTo(40009);
    assertNothingStored();
    // The connection is still usable for the next request.
    assertThat(json(server.upload(
                server.token("official-account"), "image", "ok.jpg", MediaSamples.jpeg(5, 5)))
            .has("media_id"))
        .isTrue();
  }

  @Test
  void aStorageFailureIsSystemErrorAndLeavesNothing() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(server.local(), "breaks the local disk layout");
    String token = server.token("official-account");
    json(server.upload(token, "image", "a.jpg", MediaSamples.jpeg(5, 5)));
    Path domainDir;
    try (Stream<Path> dirs = Files.list(data.resolve("media"))) {
      domainDir = dirs.filter(p -> !p.getFileName().toString().startsWith("."))
          .findFirst()
          .orElseThrow();
    }
    // The app's storage directory becomes a plain file: no partition can be created under it.
    try (Stream<Path> walk = Files.walk(domainDir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    Files.write(domainDir, new byte[] {0});
    HttpResponse<String> r = server.upload(token, "image", "b.jpg", MediaSamples.jpeg(5, 5));
    assertThat(json(r).get("errcode").asInt()).isEqualTo(-1);
    assertThat(json(r).get("errmsg").asText()).startsWith("system error rid: ");
    try (Stream<Path> left = Files.list(data.resolve("media/.incoming"))) {
      assertThat(left.toList()).isEmpty();
    }
    Files.delete(domainDir);
    assertThat(json(server.upload(token, "image", "c.jpg", MediaSamples.jpeg(5, 5)))
            .has("media_id"))
        .as("the server recovers once storage does")
        .isTrue();
  }

  // ---- multipart as clients really send it
  // -------------------------------------------------------

  @Test
  void chunkedUploadIsAccepted() {
    byte[] file = MediaSamples.jpeg(200, 200);
    byte[] form = new Multipart().media("a.jpg", file).close();
    HttpRequest request = HttpRequest.newBuilder(
            URI.create(server.url(path(server.token("official-account"), "image"))))
        .header("Content-Type", new Multipart().contentType())
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(form)))
        .build();
    assertThat(json(server.send(request)).has("media_id")).isTrue();
  }

  @Test
  void charsetBeforeBoundaryAndTransferEncodingBinary() {
    String token = server.token("official-account");
    byte[] file = MediaSamples.png(10, 10);
    Multipart form = new Multipart()
        .part(
            "Content-Disposition: form-data; name=\"media\"; filename=\"a.png\"\r\n"
                + "Content-Type: image/png\r\nContent-Transfer-Encoding: binary\r\n",
            file);
    HttpResponse<String> r = server.uploadRaw(
        path(token, "image"),
        "multipart/form-data; charset=UTF-8; boundary=" + form.boundary(),
        form.close());
    String id = json(r).path("media_id").asText();
    assertThat(id).as(r.body()).hasSize(64);
    assertThat(server.download(token, id).body()).isEqualTo(file);
  }

  static Stream<Arguments> filenames() {
    String pct = "%E6%8A%A5%E5%91%8A.pdf";
    return Stream.of(
        Arguments.of("raw UTF-8", "form-data; name=\"media\"; filename=\"报告.pdf\"", "报告.pdf"),
        Arguments.of(
            "percent-encoded", "form-data; name=\"media\"; filename=\"" + pct + "\"", "报告.pdf"),
        Arguments.of("RFC 5987", "form-data; name=\"media\"; filename*=UTF-8''" + pct, "报告.pdf"),
        Arguments.of(
            "HttpClient 5 double-encoded",
            "form-data; name=\"media\"; filename=\"" + pct
                + "\"; filename*=\"UTF-8''%25E6%258A%25A5%25E5%2591%258A.pdf\"",
            "报告.pdf"),
        Arguments.of(
            "HttpClient 5.5 under WxJava",
            "form-data; name=\"media\"; filename=\"" + pct
                + "\"; filename*=\"UTF-8''UTF-8%27%27%25E6%258A%25A5%25E5%2591%258A.pdf\"",
            "报告.pdf"),
        Arguments.of(
            "ASCII", "form-data; name=\"media\"; filename=\"report 2024.pdf\"", "report 2024.pdf"),
        Arguments.of(
            "with a Windows path",
            "form-data; name=\"media\"; filename=\"C:\\\\Users\\\\me\\\\季度.pdf\"",
            "季度.pdf"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("filenames")
  void wecomFileNamesComeBackAsUploaded(String name, String disposition, String expected)
      throws Exception {
    String token = server.token("wecom");
    byte[] file = MediaSamples.random(300, 9);
    Multipart form = new Multipart().part("Content-Disposition: " + disposition + "\r\n", file);
    String id = json(server.uploadRaw(path(token, "file"), form.contentType(), form.close()))
        .get("media_id")
        .asText();
    HttpResponse<byte[]> down = server.download(token, id);
    String header = down.headers().firstValue("Content-disposition").orElseThrow();
    assertThat(header).startsWith("attachment; filename*=utf-8''");
    String encoded =
        header.substring("attachment; filename*=utf-8''".length(), header.indexOf(';', 30));
    assertThat(java.net.URLDecoder.decode(encoded.replace("+", "%2B"), StandardCharsets.UTF_8))
        .isEqualTo(expected);
    assertThat(down.body()).isEqualTo(file);
  }

  @Test
  void curlUploadsAsTheDocumentsShow(@TempDir Path dir) throws Exception {
    Path jpg = dir.resolve("test.jpg");
    byte[] file = MediaSamples.jpeg(50, 50);
    Files.write(jpg, file);
    String token = server.token("official-account");
    Process curl = new ProcessBuilder(
            "curl",
            "-s",
            "-F",
            "media=@" + jpg,
            server.url("/cgi-bin/media/upload?access_token=" + token + "&type=image"))
        .redirectErrorStream(true)
        .start();
    String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(curl.waitFor()).isZero();
    String id = TestServer.json(out).get("media_id").asText();
    Path saved = dir.resolve("saved.jpg");
    Process get = new ProcessBuilder(
            "curl",
            "-s",
            "-o",
            saved.toString(),
            server.url("/cgi-bin/media/get?access_token=" + token + "&media_id=" + id))
        .start();
    assertThat(get.waitFor()).isZero();
    assertThat(Files.readAllBytes(saved)).isEqualTo(file);
  }

  // ---- helpers ---------------------------------------------------------------------------------

  static String path(String token, String type) {
    return "/cgi-bin/media/upload?access_token=" + token + "&type=" + type;
  }

  /** Nothing of a refused upload is kept: no object, and on disk no file, not even a temporary one. */
  void assertNothingStored() {
    assertThat(server.storedObjectCount()).isZero();
    if (server.local()) {
      try (Stream<Path> walk = Files.walk(data.resolve("media"))) {
        assertThat(walk.filter(Files::isRegularFile).toList()).isEmpty();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }

  static List<String> fieldNames(JsonNode node) {
    List<String> names = new java.util.ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
