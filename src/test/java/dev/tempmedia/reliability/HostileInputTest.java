package dev.tempmedia.reliability;

import static dev.tempmedia.testing.RawHttp.concat;
import static dev.tempmedia.testing.RawHttp.head;
import static dev.tempmedia.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tempmedia.media.format.MediaFormat;
import dev.tempmedia.testing.MediaSamples;
import dev.tempmedia.testing.Multipart;
import dev.tempmedia.testing.RawHttp;
import dev.tempmedia.testing.TestServer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A corpus of malformed and adversarial requests, sent over plain sockets so that nothing on the way
 * repairs them. Each must get the answer SPEC §6 documents (or, where the request is not HTTP a server
 * can act on, a clean 4xx), leave nothing stored, and leave the server healthy for the next.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputTest {
  private static final String B = Multipart.BOUNDARY;
  private static final String FORM = "multipart/form-data; boundary=" + B;
  private static final byte[] JPEG = MediaSamples.jpeg(40, 30);

  Path data;
  TestServer server;
  Fixture f;

  /** What every case may use: the port, a token per product, and a stored image to download. */
  record Fixture(int port, String oa, String mp, String corp, String mediaId, byte[] image) {}

  @BeforeAll
  void start(@TempDir Path dir) {
    data = dir;
    server = new TestServer(data);
    String oa = server.token("official-account");
    String id =
        json(server.upload(oa, "image", "photo.jpg", JPEG)).get("media_id").asText();
    f = new Fixture(
        server.server().port(), oa, server.token("mini-program"), server.token("wecom"), id, JPEG);
  }

  @AfterAll
  void stop() {
    server.close();
  }

  /** One hostile request: how to send it, what must come back, and how many objects it may add. */
  record Case(String name, Exchange exchange, Check check, int stores) {
    @Override
    public String toString() {
      return name;
    }
  }

  @FunctionalInterface
  interface Exchange {
    RawHttp.Response send(Fixture f) throws IOException;
  }

  @FunctionalInterface
  interface Check {
    void verify(Fixture f, RawHttp.Response r) throws IOException;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void hostileRequestGetsItsDocumentedAnswer(Case c) throws Exception {
    int before = server.storedObjectCount();
    RawHttp.Response r = c.exchange().send(f);
    c.check().verify(f, r);
    assertThat(server.storedObjectCount())
        .as("objects stored by this request")
        .isEqualTo(before + c.stores());
    assertNoUnfinishedUpload();
    assertThat(server.get("/_tempmedia/health").statusCode())
        .as("health after the request")
        .isEqualTo(200);
  }

  static Stream<Case> corpus() {
    List<Case> all = new ArrayList<>();
    all.addAll(brokenMultipart());
    all.addAll(boundaries());
    all.addAll(fileNames());
    all.addAll(bodiesAndTypes());
    all.addAll(credentialsAndIds());
    all.addAll(ranges());
    all.addAll(methodsAndProtocol());
    return all.stream();
  }

  // ---- the corpus
  // --------------------------------------------------------------------------------

  static List<Case> brokenMultipart() {
    return List.of(
        upload(
            "no closing delimiter", FORM, new Multipart().media("a.jpg", JPEG).unclosed(), 41005),
        upload(
            "garbage preamble only",
            FORM,
            ascii("this is not a form at all\r\njust lines\r\n".repeat(50)),
            41005),
        upload("empty body", FORM, new byte[0], 41005),
        upload(
            "truncated part headers",
            FORM,
            ascii("--" + B + "\r\nContent-Disposition: form-da"),
            41005),
        upload(
            "part headers never end (no CRLF CRLF)",
            FORM,
            ascii("--" + B + "\r\nContent-Disposition: form-data;"
                + " name=\"media\"; filename=\"a.txt\"\r\nhello world\r\n--" + B + "--\r\n"),
            41005),
        upload(
            "1 MB of header lines in a part",
            FORM,
            concat(
                ascii("--" + B + "\r\n"),
                ascii("X-Filler: 0123456789012345678901234567890123456789\r\n".repeat(20_000)),
                ascii("\r\n"),
                JPEG,
                ascii("\r\n--" + B + "--\r\n")),
            41005),
        upload(
            "a 100 KB part header line",
            FORM,
            concat(
                ascii("--" + B + "\r\nContent-Disposition: form-data;"
                    + " name=\"media\"; filename=\"" + "a".repeat(100_000) + "\"\r\n\r\n"),
                JPEG,
                ascii("\r\n--" + B + "--\r\n")),
            41005),
        upload(
            "part header line without a name",
            FORM,
            new Multipart().part(": no name\r\n", JPEG).close(),
            41005),
        upload(
            "text after the boundary on its line",
            FORM,
            concat(
                ascii("--" + B + " trailing\r\n"),
                new Multipart().media("a.jpg", JPEG).close()),
            41005),
        upload(
            "no part named media",
            FORM,
            new Multipart()
                .part(
                    "Content-Disposition: form-data; name=\"file\";" + " filename=\"a.jpg\"\r\n",
                    JPEG)
                .close(),
            41005),
        upload(
            "field name Media in capitals",
            FORM,
            new Multipart()
                .part(
                    "Content-Disposition: form-data;" + " name=\"Media\"; filename=\"a.jpg\"\r\n",
                    JPEG)
                .close(),
            41005),
        upload(
            "two media parts",
            FORM,
            new Multipart().media("a.jpg", JPEG).media("b.jpg", JPEG).close(),
            47001),
        upload(
            "base64 transfer encoding",
            FORM,
            new Multipart()
                .part(
                    "Content-Disposition: form-data; name=\"media\";"
                        + " filename=\"a.jpg\"\r\nContent-Transfer-Encoding: base64\r\n",
                    JPEG)
                .close(),
            41005),
        upload("200 empty parts", FORM, manyParts(200), 41005),
        upload(
            "empty media part",
            FORM,
            new Multipart().media("a.jpg", new byte[0]).close(),
            44001),
        upload(
            "media part without a filename is still a file",
            FORM,
            new Multipart()
                .part("Content-Disposition: form-data; name=\"media\"\r\n", JPEG)
                .close(),
            accepted(),
            1));
  }

  static List<Case> boundaries() {
    String b71 = "b".repeat(71);
    String b70 = "b".repeat(70);
    return List.of(
        // WxJava 4.6's HttpClient 4 executor of uploadimg names no boundary: the first line does.
        upload(
            "no boundary parameter: the body's first line names it",
            "multipart/form-data",
            new Multipart().media("a.jpg", JPEG).close(),
            accepted(),
            1),
        upload(
            "no boundary parameter and a body that does not open with a delimiter",
            "multipart/form-data",
            concat(ascii("media=abc&x=1"), JPEG),
            41005),
        upload(
            "no boundary parameter and a first line too long for one",
            "multipart/form-data",
            concat(ascii("--" + b71 + b71 + "\r\n"), JPEG),
            41005),
        upload(
            "empty boundary",
            "multipart/form-data; boundary=",
            new Multipart("").media("a.jpg", JPEG).close(),
            41005),
        upload(
            "empty quoted boundary",
            "multipart/form-data; boundary=\"\"",
            new Multipart("").media("a.jpg", JPEG).close(),
            41005),
        upload(
            "71-character boundary",
            "multipart/form-data; boundary=" + b71,
            new Multipart(b71).media("a.jpg", JPEG).close(),
            41005),
        upload(
            "70-character boundary is fine",
            "multipart/form-data; boundary=" + b70,
            new Multipart(b70).media("a.jpg", JPEG).close(),
            accepted(),
            1),
        upload(
            "boundary of non-ASCII bytes",
            "multipart/form-data; boundary=\u00e9\u00e9\u00e9",
            concat(ascii("--"), new byte[] {(byte) 0xE9, (byte) 0xE9, (byte) 0xE9}, ascii("\r\n")),
            41005),
        upload(
            "boundary in the body differs from the header",
            "multipart/form-data; boundary=other",
            new Multipart().media("a.jpg", JPEG).close(),
            41005),
        // A 10 KB Content-Type is over the request head limit (8 KiB): refused before any route
        // runs.
        new Case(
            "10 KB boundary",
            fx -> RawHttp.exchange(
                fx.port(),
                concat(
                    head(
                        "POST " + uploadPath(fx.oa(), "image") + " HTTP/1.1", "Host: x",
                        "Content-Type: multipart/form-data; boundary=" + "b".repeat(10_240),
                            "Content-Length: 10"),
                    new byte[10]),
                false),
            status(431),
            0));
  }

  /** Hostile names are not refused (WeChat takes any name): they are stored and come back harmless. */
  static List<Case> fileNames() {
    return List.of(
        wecomFile(
            "raw CR LF in the filename splits the part header",
            ascii(
                "Content-Disposition: form-data; name=\"media\"; filename=\"a.txt\r\nSet-Cookie: x=y\"\r\n")),
        wecomFile(
            "percent-encoded CR LF in the filename",
            ascii(
                "Content-Disposition: form-data; name=\"media\"; filename=\"a%0D%0ASet-Cookie: x=y.txt\"\r\n")),
        wecomFile(
            "CR LF in filename*",
            ascii(
                "Content-Disposition: form-data; name=\"media\"; filename*=UTF-8''a%0D%0ASet-Cookie%3A%20x%3Dy.txt\r\n")),
        wecomFile(
            "folded header carrying a header",
            ascii(
                "Content-Disposition: form-data; name=\"media\"; filename=\"a.txt\r\n Set-Cookie: x=y\"\r\n")),
        wecomFile(
            "quotes in the filename",
            ascii(
                "Content-Disposition: form-data; name=\"media\"; filename=\"a\\\"; evil=\\\"1.txt\"\r\n")),
        wecomFile(
            "unbalanced quote",
            ascii("Content-Disposition: form-data; name=\"media\"; filename=\"a.txt\r\n")),
        wecomFile(
            "../ path in the filename",
            ascii(
                "Content-Disposition: form-data; name=\"media\"; filename=\"../../../etc/passwd\"\r\n")),
        wecomFile(
            "percent-encoded ../ in the filename",
            ascii(
                "Content-Disposition: form-data; name=\"media\"; filename=\"..%2F..%2Fetc%2Fpasswd\"\r\n")),
        wecomFile(
            "NUL in the filename",
            concat(
                ascii("Content-Disposition: form-data; name=\"media\"; filename=\"a"),
                new byte[] {0},
                ascii(".txt\"\r\n"))),
        wecomFile(
            "invalid UTF-8 in the filename",
            concat(
                ascii("Content-Disposition: form-data; name=\"media\"; filename=\""),
                new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF, (byte) 0xFE, (byte) 0xC0, (byte) 0xAF},
                ascii(".txt\"\r\n"))),
        wecomFile(
            "overlong UTF-8 slash in the filename",
            concat(
                ascii("Content-Disposition: form-data; name=\"media\"; filename=\"..\""),
                new byte[] {(byte) 0xC0, (byte) 0xAF},
                ascii("passwd\"\r\n"))),
        wecomFile(
            "bidi override in the filename",
            ascii(
                "Content-Disposition: form-data; name=\"media\"; filename*=UTF-8''a%E2%80%AEtxt.exe\r\n")),
        wecomFile(
            "a 10 KB filename",
            ascii("Content-Disposition: form-data; name=\"media\"; filename=\"" + "n".repeat(10_240)
                + ".txt\"\r\n")));
  }

  static List<Case> bodiesAndTypes() {
    byte[] form = new Multipart().media("a.jpg", JPEG).close();
    return List.of(
        upload("JSON content type", "application/json", ascii("{\"media\":\"x\"}"), 41005),
        upload("text/plain with a form inside", "text/plain", form, 41005),
        upload("no content type", null, form, 41005),
        upload("multipart/mixed", "multipart/mixed; boundary=" + B, form, 41005),
        declaredOnly(
            "100 MB declared for a WeCom file",
            fx -> uploadPath(fx.corp(), "file"),
            104_857_600L,
            45001),
        declaredOnly(
            "30 MB declared for an image", fx -> uploadPath(fx.oa(), "image"), 30_000_000L, 45001),
        declaredOnly(
            "12 MB declared for an image", fx -> uploadPath(fx.oa(), "image"), 12_000_000L, 40009),
        declaredOnly(
            "100 KB declared for a thumb", fx -> uploadPath(fx.oa(), "thumb"), 200_000L, 40012),
        new Case(
            "Content-Length beyond a long",
            fx -> RawHttp.exchange(
                fx.port(),
                head(
                    "POST " + uploadPath(fx.oa(), "image") + " HTTP/1.1",
                    "Host: x",
                    "Content-Type: " + FORM,
                    "Content-Length: 99999999999999999999999"),
                false),
            status(400),
            0),
        new Case(
            "negative Content-Length",
            fx -> RawHttp.exchange(
                fx.port(),
                head(
                    "POST " + uploadPath(fx.oa(), "image") + " HTTP/1.1",
                    "Host: x",
                    "Content-Type: " + FORM,
                    "Content-Length: -5"),
                false),
            status(400),
            0),
        new Case(
            "two different Content-Lengths",
            fx -> RawHttp.exchange(
                fx.port(),
                concat(
                    head(
                        "POST " + uploadPath(fx.oa(), "image") + " HTTP/1.1",
                        "Host: x",
                        "Content-Type: " + FORM,
                        "Content-Length: " + form.length,
                        "Content-Length: 5"),
                    form),
                false),
            status(400),
            0),
        chunked(
            "chunked WeCom file past the 20 MiB cap",
            fx -> uploadPath(fx.corp(), "file"),
            22 << 20,
            45001),
        chunked(
            "chunked image past its 10 MB limit",
            fx -> uploadPath(fx.oa(), "image"),
            11 << 20,
            40009),
        new Case(
            "broken chunk size",
            fx -> RawHttp.exchange(
                fx.port(),
                concat(
                    head(
                        "POST " + uploadPath(fx.oa(), "image") + " HTTP/1.1",
                        "Host: x",
                        "Content-Type: " + FORM,
                        "Transfer-Encoding: chunked"),
                    ascii("zz\r\nhello\r\n0\r\n\r\n")),
                false),
            errcodeOrStatus(41005, 400),
            0),
        new Case(
            "broken chunk size on stable_token",
            fx -> RawHttp.exchange(
                fx.port(),
                concat(
                    head(
                        "POST /cgi-bin/stable_token HTTP/1.1",
                        "Host: x",
                        "Content-Type: application/json",
                        "Transfer-Encoding: chunked"),
                    ascii("zz\r\n{}\r\n0\r\n\r\n")),
                false),
            errcodeOrStatus(47001, 400),
            0));
  }

  static List<Case> credentialsAndIds() {
    byte[] form = new Multipart().media("a.jpg", JPEG).close();
    return List.of(
        uploadTo("no query at all", fx -> "/cgi-bin/media/upload", form, 41001),
        uploadTo(
            "empty access_token",
            fx -> "/cgi-bin/media/upload?access_token=&type=image",
            form,
            41001),
        uploadTo(
            "type missing", fx -> "/cgi-bin/media/upload?access_token=" + fx.oa(), form, 40004),
        uploadTo(
            "repeated type, the first unknown",
            fx -> uploadPath(fx.oa(), "bogus") + "&type=image",
            form,
            40004),
        uploadTo(
            "repeated access_token, the first forged",
            fx ->
                "/cgi-bin/media/upload?access_token=forged&access_token=" + fx.oa() + "&type=image",
            form,
            40001),
        uploadTo("3 KB access_token", fx -> uploadPath("A".repeat(3_000), "image"), form, 40001),
        get(
            "10 KB access_token is over the request line limit",
            fx -> downloadPath("A".repeat(10_240), fx.mediaId()),
            status(414)),
        get("3 KB media_id", fx -> downloadPath(fx.oa(), "A".repeat(3_000)), errcode(40007)),
        get(
            "10 KB media_id is over the request line limit",
            fx -> downloadPath(fx.oa(), "A".repeat(10_240)),
            status(414)),
        get(
            "media_id of standard base64 characters",
            fx -> downloadPath(fx.oa(), fx.mediaId().substring(0, 60) + "+/+/"),
            errcode(40007)),
        get(
            "media_id with percent-encoded NUL and CR LF",
            fx -> downloadPath(fx.oa(), fx.mediaId().substring(0, 58) + "%00%0D%0A"),
            errcode(40007)),
        get(
            "media_id with a broken percent escape",
            fx -> downloadPath(fx.oa(), fx.mediaId().substring(0, 62) + "%Z"),
            errcodeOrStatus(40007, 400)),
        get(
            "token request with a broken escape in the secret",
            fx -> "/cgi-bin/token?grant_type=client_credential" + "&appid=" + TestServer.OA
                + "&secret=devsecret%Z",
            errcode(40125)),
        get("media_id missing", fx -> "/cgi-bin/media/get?access_token=" + fx.oa(), errcode(40007)),
        get(
            "repeated media_id, the first garbage",
            fx -> downloadPath(fx.oa(), "garbage") + "&media_id=" + fx.mediaId(),
            errcode(40007)),
        get(
            "access_token missing on download",
            fx -> "/cgi-bin/media/get?media_id=" + fx.mediaId(),
            errcode(41001)),
        get(
            "a WeCom id with an Official Account token",
            fx -> downloadPath(fx.oa(), "3" + fx.mediaId()),
            errcode(40007)),
        get(
            "an Official Account id with a WeCom token",
            fx -> downloadPath(fx.corp(), fx.mediaId()),
            errcode(40007)));
  }

  static List<Case> ranges() {
    return List.of(
        range("bytes=999999999999999999999-", status(416)),
        range("bytes=-0", status(416)),
        range("bytes=5-1", wholeBody()),
        range("bytes=abc-def", wholeBody()),
        range("bytes=", wholeBody()),
        range("bytes=--5", wholeBody()),
        range(
            "200 ranges",
            String.join(",", java.util.Collections.nCopies(200, "0-0")).replaceFirst("^", "bytes="),
            wholeBody()),
        range("bytes=0-1,3-4", wholeBody()),
        range("a 4 KB range field", "bytes=0-" + "9".repeat(4_096), wholeBody()));
  }

  static List<Case> methodsAndProtocol() {
    return List.of(
        new Case(
            "HEAD on upload",
            fx -> RawHttp.exchange(
                fx.port(),
                head("HEAD " + uploadPath(fx.oa(), "image") + " HTTP/1.1", "Host: x"),
                true),
            headOnly(200),
            0),
        plain(
            "PUT on upload",
            fx -> head(
                "PUT " + uploadPath(fx.oa(), "image") + " HTTP/1.1",
                "Host: x",
                "Content-Length: 0"),
            errcode(43002)),
        plain(
            "DELETE on upload",
            fx -> head("DELETE " + uploadPath(fx.oa(), "image") + " HTTP/1.1", "Host: x"),
            errcode(43002)),
        plain(
            "PUT on download",
            fx -> head(
                "PUT " + downloadPath(fx.oa(), fx.mediaId()) + " HTTP/1.1",
                "Host: x",
                "Content-Length: 0"),
            status(404)),
        plain(
            "DELETE on download",
            fx -> head("DELETE " + downloadPath(fx.oa(), fx.mediaId()) + " HTTP/1.1", "Host: x"),
            status(404)),
        plain(
            "an invented method",
            fx -> head("BREW " + downloadPath(fx.oa(), fx.mediaId()) + " HTTP/1.1", "Host: x"),
            status(404)),
        new Case(
            "HEAD on download",
            fx -> RawHttp.exchange(
                fx.port(),
                head("HEAD " + downloadPath(fx.oa(), fx.mediaId()) + " HTTP/1.1", "Host: x"),
                true),
            (fx, r) -> {
              assertThat(r.status()).isEqualTo(200);
              assertThat(r.header("Content-Length")).isEqualTo(Integer.toString(fx.image().length));
            },
            0),
        plain(
            "HTTP/1.0 download without Host",
            fx -> head("GET " + downloadPath(fx.oa(), fx.mediaId()) + " HTTP/1.0"),
            wholeBody()),
        new Case(
            "HTTP/1.0 upload",
            fx -> {
              byte[] form = new Multipart().media("a.jpg", JPEG).close();
              return RawHttp.exchange(
                  fx.port(),
                  concat(
                      head(
                          "POST " + uploadPath(fx.oa(), "image") + " HTTP/1.0",
                          "Content-Type: " + FORM,
                          "Content-Length: " + form.length),
                      form),
                  false);
            },
            accepted(),
            1),
        plain(
            "a 100 KB request line",
            fx -> head("GET /cgi-bin/media/get?x=" + "a".repeat(100_000) + " HTTP/1.1", "Host: x"),
            status(414)),
        plain(
            "a 100 KB header line",
            fx -> head(
                "GET " + downloadPath(fx.oa(), fx.mediaId()) + " HTTP/1.1",
                "Host: x",
                "X-Big: " + "a".repeat(100_000)),
            status(431)),
        plain(
            "5 000 header lines",
            fx -> head(Stream.concat(
                    Stream.of("GET /_tempmedia/health HTTP/1.1", "Host: x"),
                    java.util.stream.IntStream.range(0, 5_000).mapToObj(i -> "X-H" + i + ": v"))
                .toArray(String[]::new)),
            status(431)),
        plain(
            "header name with a space",
            fx -> head(
                "GET " + downloadPath(fx.oa(), fx.mediaId()) + " HTTP/1.1", "Host: x", "X Bad: 1"),
            status(400)),
        plain(
            "a TLS hello instead of HTTP",
            fx -> concat(
                new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xFC, 0x03, 0x03
                },
                ascii("\r\n\r\n")),
            status(400)),
        plain(
            "path climbing out with ../",
            fx -> head("GET /cgi-bin/media/../../../etc/passwd HTTP/1.1", "Host: x"),
            status(404)),
        plain(
            "NUL in the path",
            fx ->
                head("GET /cgi-bin/media/get%00?access_token=" + fx.oa() + " HTTP/1.1", "Host: x"),
            status(404)));
  }

  // ---- case builders
  // -----------------------------------------------------------------------------

  static Case upload(String name, String contentType, byte[] body, int errcode) {
    return upload(name, contentType, body, errcode(errcode), 0);
  }

  static Case upload(String name, String contentType, byte[] body, Check check, int stores) {
    return new Case(
        name,
        fx -> RawHttp.exchange(
            fx.port(), postRequest(uploadPath(fx.oa(), "image"), contentType, body), false),
        check,
        stores);
  }

  static Case uploadTo(
      String name, java.util.function.Function<Fixture, String> path, byte[] form, int errcode) {
    return new Case(
        name,
        fx -> RawHttp.exchange(fx.port(), postRequest(path.apply(fx), FORM, form), false),
        errcode(errcode),
        0);
  }

  /** A WeCom file upload whose media part has these header lines: stored, and its download stays harmless. */
  static Case wecomFile(String name, byte[] partHeaders) {
    byte[] body = concat(
        ascii("--" + B + "\r\n"),
        partHeaders,
        ascii("\r\n"),
        MediaSamples.random(500, 7),
        ascii("\r\n--" + B + "--\r\n"));
    return new Case(
        name,
        fx -> RawHttp.exchange(
            fx.port(), postRequest(uploadPath(fx.corp(), "file"), FORM, body), false),
        harmlessWecomDownload(),
        1);
  }

  /** Only the head goes out: the answer must come before the body it announces. */
  static Case declaredOnly(
      String name, java.util.function.Function<Fixture, String> path, long length, int errcode) {
    return new Case(
        name,
        fx -> RawHttp.exchange(
            fx.port(),
            head(
                "POST " + path.apply(fx) + " HTTP/1.1",
                "Host: x",
                "Content-Type: " + FORM,
                "Content-Length: " + length),
            false),
        errcode(errcode),
        0);
  }

  /** A chunked form whose media part goes on for {@code total} bytes; the server must cut it off and answer. */
  static Case chunked(
      String name, java.util.function.Function<Fixture, String> path, int total, int errcode) {
    return new Case(
        name,
        fx -> RawHttp.exchange(
            fx.port(),
            out -> {
              out.write(head(
                  "POST " + path.apply(fx) + " HTTP/1.1",
                  "Host: x",
                  "Content-Type: " + FORM,
                  "Transfer-Encoding: chunked"));
              writeChunk(
                  out,
                  ascii(
                      "--" + B
                          + "\r\nContent-Disposition: form-data; name=\"media\"; filename=\"big.jpg\"\r\n\r\n"));
              byte[] file = MediaSamples.padTo(JPEG, MediaFormat.JPEG, total);
              for (int at = 0; at < file.length; at += 64 * 1024) {
                writeChunk(
                    out,
                    java.util.Arrays.copyOfRange(file, at, Math.min(file.length, at + 64 * 1024)));
              }
              writeChunk(out, ascii("\r\n--" + B + "--\r\n"));
              out.write(ascii("0\r\n\r\n"));
            },
            false),
        errcode(errcode),
        0);
  }

  static Case get(String name, java.util.function.Function<Fixture, String> path, Check check) {
    return new Case(
        name,
        fx -> RawHttp.exchange(
            fx.port(), head("GET " + path.apply(fx) + " HTTP/1.1", "Host: x"), false),
        check,
        0);
  }

  static Case range(String range, Check check) {
    return range(range, range, check);
  }

  static Case range(String name, String range, Check check) {
    return new Case(
        "Range: " + name,
        fx -> RawHttp.exchange(
            fx.port(),
            head(
                "GET " + downloadPath(fx.oa(), fx.mediaId()) + " HTTP/1.1",
                "Host: x",
                "Range: " + range),
            false),
        check,
        0);
  }

  static Case plain(
      String name, java.util.function.Function<Fixture, byte[]> request, Check check) {
    return new Case(name, fx -> RawHttp.exchange(fx.port(), request.apply(fx), false), check, 0);
  }

  // ---- checks
  // ------------------------------------------------------------------------------------

  /** SPEC §6: HTTP 200, WeChat's JSON content type, the errcode. */
  static Check errcode(int code) {
    return (fx, r) -> {
      assertThat(r.status()).as(r.head()).isEqualTo(200);
      assertThat(r.header("Content-Type")).isEqualTo("application/json; encoding=utf-8");
      assertThat(r.json().path("errcode").asInt()).as(r.text()).isEqualTo(code);
    };
  }

  /** Where HTTP itself is broken, either a clean 4xx from the HTTP layer or the WeChat error is right. */
  static Check errcodeOrStatus(int code, int status) {
    return (fx, r) -> {
      if (r.status() == 200) {
        errcode(code).verify(fx, r);
      } else {
        assertThat(r.status()).as(r.head()).isEqualTo(status);
      }
    };
  }

  static Check status(int status) {
    return (fx, r) -> assertThat(r.status()).as(r.head()).isEqualTo(status);
  }

  static Check headOnly(int status) {
    return (fx, r) -> {
      assertThat(r.status()).as(r.head()).isEqualTo(status);
      assertThat(r.body()).isEmpty();
    };
  }

  static Check wholeBody() {
    return (fx, r) -> {
      assertThat(r.status()).as(r.head()).isEqualTo(200);
      assertThat(r.header("Content-Range")).isNull();
      assertThat(r.body()).isEqualTo(fx.image());
    };
  }

  static Check accepted() {
    return (fx, r) -> {
      assertThat(r.status()).as(r.head()).isEqualTo(200);
      assertThat(r.json().path("media_id").asText()).as(r.text()).hasSize(64);
    };
  }

  /**
   * The upload is taken, and its download has exactly one Content-disposition line of printable ASCII,
   * no header the name smuggled in, and a name with no path in it.
   */
  static Check harmlessWecomDownload() {
    return (fx, r) -> {
      assertThat(r.status()).as(r.head()).isEqualTo(200);
      String id = r.json().path("media_id").asText();
      assertThat(id).as(r.text()).hasSize(65);
      RawHttp.Response down = RawHttp.exchange(
          fx.port(), head("GET " + downloadPath(fx.corp(), id) + " HTTP/1.1", "Host: x"), false);
      assertThat(down.status()).isEqualTo(200);
      assertThat(down.count("Set-Cookie")).as(down.head()).isZero();
      assertThat(down.count("Content-disposition")).as(down.head()).isEqualTo(1);
      assertThat(down.fields())
          .as(down.head())
          .allSatisfy(field -> assertThat(field[0]).isNotEmpty());
      String disposition = down.header("Content-disposition");
      assertThat(disposition)
          .matches(
              "attachment; filename\\*=utf-8''[A-Za-z0-9%!#$&+.^_`|~-]+; filename=\"[\\x20-\\x7E&&[^\"\\\\]]+\"");
      assertThat(disposition.length()).isLessThan(1_000);
      String name = java.net.URLDecoder.decode(
          disposition
              .substring("attachment; filename*=utf-8''".length(), disposition.indexOf(';', 30))
              .replace("+", "%2B"),
          StandardCharsets.UTF_8);
      assertThat(name).doesNotContain("/", "\\", "\r", "\n", "\0").doesNotStartWith(".");
    };
  }

  // ---- helpers
  // -----------------------------------------------------------------------------------

  static String uploadPath(String token, String type) {
    return "/cgi-bin/media/upload?access_token=" + token + "&type=" + type;
  }

  static String downloadPath(String token, String mediaId) {
    return "/cgi-bin/media/get?access_token=" + token + "&media_id=" + mediaId;
  }

  static byte[] postRequest(String path, String contentType, byte[] body) {
    List<String> lines = new ArrayList<>(List.of("POST " + path + " HTTP/1.1", "Host: x"));
    if (contentType != null) {
      lines.add("Content-Type: " + contentType);
    }
    lines.add("Content-Length: " + body.length);
    return concat(head(lines.toArray(String[]::new)), body);
  }

  static byte[] manyParts(int n) {
    Multipart form = new Multipart();
    for (int i = 0; i < n; i++) {
      form.part("Content-Disposition: form-data; name=\"f" + i + "\"\r\n", new byte[0]);
    }
    return form.close();
  }

  static void writeChunk(OutputStream out, byte[] bytes) throws IOException {
    out.write(ascii(Integer.toHexString(bytes.length) + "\r\n"));
    out.write(bytes);
    out.write(ascii("\r\n"));
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** Refused uploads leave no temporary file behind either. */
  void assertNoUnfinishedUpload() throws IOException {
    if (!server.local()) {
      return;
    }
    Path incoming = data.resolve("media/.incoming");
    if (Files.isDirectory(incoming)) {
      try (Stream<Path> left = Files.list(incoming)) {
        assertThat(left.toList()).as("files left in .incoming").isEmpty();
      }
    }
  }
}
