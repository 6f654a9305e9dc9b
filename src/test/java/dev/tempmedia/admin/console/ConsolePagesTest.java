package dev.tempmedia.admin.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tempmedia.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The console's files over real HTTP: the page, each asset with its type, and nothing else. */
class ConsolePagesTest {
  @TempDir
  Path data;

  TestServer server;

  @BeforeEach
  void start() {
    server = new TestServer(data);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"/_tempmedia/console", "/_tempmedia/console/", "/_tempmedia/console/index.html"})
  void thePageIsServedAtItsAddresses(String path) {
    HttpResponse<String> r = server.get(path);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).contains("text/html; charset=utf-8");
    assertThat(r.headers().firstValue("Cache-Control")).contains("no-cache");
    assertThat(r.headers().firstValue("Content-Security-Policy"))
        .contains(ConsolePages.CONTENT_SECURITY_POLICY);
    assertThat(r.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
    assertThat(r.body())
        .contains("<script type=\"module\" src=\"/_tempmedia/console/app.js\"></script>");
  }

  @Test
  void everyFileIsServedWithItsTypeAndItsBytes() throws IOException {
    for (String name : ConsolePages.FILES) {
      HttpResponse<byte[]> r = server.sendForBytes(
          HttpRequest.newBuilder(URI.create(server.url("/_tempmedia/console/" + name)))
              .GET()
              .build());
      assertThat(r.statusCode()).as(name).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type"))
          .as(name)
          .contains(ConsolePages.contentType(name));
      assertThat(r.headers().firstValue("ETag")).as(name).isPresent();
      assertThat(r.body()).as(name).isEqualTo(resource(name));
    }
    assertThat(ConsolePages.contentType("app.js")).isEqualTo("text/javascript; charset=utf-8");
    assertThat(ConsolePages.contentType("style.css")).isEqualTo("text/css; charset=utf-8");
    assertThat(ConsolePages.contentType("favicon.svg")).isEqualTo("image/svg+xml");
  }

  /** A module added to the page but not to the fixed list would answer 404 and break the page. */
  @Test
  void everyFileThePageLoadsIsInTheList() throws IOException {
    Set<String> referenced = new HashSet<>();
    Pattern imports = Pattern.compile("(?:from|import)\\s+'\\./([\\w.-]+)'");
    Pattern assets = Pattern.compile("(?:href|src)=\"/_tempmedia/console/([\\w.-]+)\"");
    for (String name : ConsolePages.FILES) {
      String text = new String(resource(name), StandardCharsets.UTF_8);
      for (Pattern pattern : new Pattern[] {imports, assets}) {
        Matcher m = pattern.matcher(text);
        while (m.find()) {
          referenced.add(m.group(1));
        }
      }
    }
    assertThat(referenced).contains("app.js", "style.css", "i18n.js", "api.js");
    assertThat(ConsolePages.FILES).containsAll(referenced);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/_tempmedia/console/nope.js",
        "/_tempmedia/console/app.js/",
        "/_tempmedia/console/APP.JS",
        "/_tempmedia/console/dev/tempmedia/console/app.js",
        "/_tempmedia/console/%2e%2e/%2e%2e/%2e%2e/defaults.yaml",
        "/_tempmedia/console/..%2f..%2f..%2fdefaults.yaml",
        "/_tempmedia/console/app.js%00.html",
        "/_tempmedia/consoleapp.js"
      })
  void anythingElseIsNotFound(String path) {
    assertThat(server.get(path).statusCode()).isEqualTo(404);
  }

  /** Sent byte for byte, so no client tidies the dots away before the server sees them. */
  @Test
  void dotSegmentsReachNoOtherFile() throws IOException {
    for (String path : new String[] {
      "/_tempmedia/console/../../../defaults.yaml",
      "/_tempmedia/console/../../../../../../etc/passwd",
      "/_tempmedia/console/./../console/../../pom.xml"
    }) {
      String answer = raw("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      assertThat(answer).as(path).doesNotStartWith("HTTP/1.1 200");
      assertThat(answer).as(path).doesNotContain("root:").doesNotContain("mode:");
    }
  }

  @Test
  void aMatchingEtagAnswers304() {
    String etag =
        server.get("/_tempmedia/console/app.js").headers().firstValue("ETag").orElseThrow();
    HttpResponse<String> r =
        server.send(HttpRequest.newBuilder(URI.create(server.url("/_tempmedia/console/app.js")))
            .header("If-None-Match", "\"other\", " + etag)
            .GET()
            .build());
    assertThat(r.statusCode()).isEqualTo(304);
    assertThat(r.body()).isEmpty();
    HttpResponse<String> other =
        server.send(HttpRequest.newBuilder(URI.create(server.url("/_tempmedia/console/app.js")))
            .header("If-None-Match", "\"other\"")
            .GET()
            .build());
    assertThat(other.statusCode()).isEqualTo(200);
  }

  @Test
  void headAnswersTheLengthAndOtherMethodsAreRefused() {
    HttpResponse<String> head =
        server.send(HttpRequest.newBuilder(URI.create(server.url("/_tempmedia/console/")))
            .method("HEAD", HttpRequest.BodyPublishers.noBody())
            .build());
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.headers().firstValue("Content-Length"))
        .contains(Integer.toString(resource("index.html").length));
    HttpResponse<String> post = server.postJson("/_tempmedia/console/app.js", "{}");
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).contains("GET, HEAD");
  }

  private static byte[] resource(String name) {
    try (InputStream in = ConsolePagesTest.class
        .getClassLoader()
        .getResourceAsStream("dev/tempmedia/console/" + name)) {
      assertThat(in).as(name).isNotNull();
      return in.readAllBytes();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private String raw(String request) throws IOException {
    URI base = URI.create(server.url("/"));
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }
}
