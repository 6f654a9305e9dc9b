package dev.tempmedia.it;

import static dev.tempmedia.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tempmedia.http.WeChatApi;
import dev.tempmedia.testing.MediaSamples;
import dev.tempmedia.testing.RangeFileServer;
import dev.tempmedia.testing.TestServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SPEC §12 upload_by_url over real HTTP, against a local file server with and without Range. */
class UploadByUrlTest {
  static final long MB = 1024 * 1024;

  @TempDir
  Path data;

  @TempDir
  Path files;

  TestServer server;
  RangeFileServer origin;

  @BeforeEach
  void start() throws Exception {
    server = new TestServer(data);
    origin = new RangeFileServer(files, "127.0.0.1");
  }

  @AfterEach
  void stop() {
    if (origin != null) {
      origin.close();
    }
    if (server != null) { // null when the start was skipped (no redis-server for the scale-out run)
      server.close();
    }
  }

  byte[] file(String name, byte[] bytes) throws Exception {
    Files.write(files.resolve(name), bytes);
    return bytes;
  }

  static String md5(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
  }

  static String body(String type, String url, String md5) {
    return "{\"scene\":1,\"type\":\"" + type + "\",\"filename\":\"会议.bin\",\"url\":\"" + url
        + "\",\"md5\":\"" + md5 + "\"}";
  }

  HttpResponse<String> submit(String token, String json) {
    return server.postJson(WeChatApi.MEDIA_UPLOAD_BY_URL + "?access_token=" + token, json);
  }

  /** Submits and polls the result until the job is no longer running. */
  JsonNode finished(String json) throws Exception {
    JsonNode answer = json(submit(server.token("wecom"), json));
    assertThat(answer.path("errcode").asInt()).as(answer.toString()).isZero();
    return await(answer.path("jobid").asText(), 120);
  }

  JsonNode await(String jobId, int seconds) throws Exception {
    long until = System.nanoTime() + seconds * 1_000_000_000L;
    while (true) {
      JsonNode r = json(server.postJson(
          WeChatApi.MEDIA_UPLOAD_BY_URL_RESULT + "?access_token=" + server.token("wecom"),
          "{\"jobid\":\"" + jobId + "\"}"));
      assertThat(r.path("errcode").asInt()).as(r.toString()).isZero();
      if (r.path("status").asInt() != 1 || System.nanoTime() > until) {
        return r;
      }
      Thread.sleep(100);
    }
  }

  @Test
  void thirtyMegabytesArriveIntactInRangesOfAtMostTwentyMegabytes() throws Exception {
    byte[] bytes = file("big.bin", MediaSamples.random((int) (30 * MB), 3));
    long before = server.clock().epochSecond();
    JsonNode r = finished(body("file", origin.url("big.bin"), md5(bytes).toUpperCase()));
    assertThat(r.path("status").asInt()).as(r.toString()).isEqualTo(2);
    JsonNode detail = r.path("detail");
    assertThat(detail.path("errcode").asInt()).isZero();
    assertThat(detail.path("media_id").asText()).hasSize(65).startsWith("3");
    assertThat(detail.path("created_at").isTextual())
        .as("a string, as WeCom's upload")
        .isTrue();
    assertThat(Long.parseLong(detail.path("created_at").asText())).isGreaterThanOrEqualTo(before);
    assertThat(origin.ranges).containsExactly("bytes=0-20971519", "bytes=20971520-31457279");
    assertThat(origin.largestAnswer.get()).isLessThanOrEqualTo(20 * MB);

    HttpResponse<byte[]> down =
        server.download(server.token("wecom"), detail.path("media_id").asText());
    assertThat(down.statusCode()).isEqualTo(200);
    assertThat(MediaSamples.sha256(down.body())).isEqualTo(MediaSamples.sha256(bytes));
    assertThat(down.headers().firstValue("Content-disposition").orElse(""))
        .contains("filename*=utf-8''%E4%BC%9A%E8%AE%AE.bin");
  }

  @Test
  void aVideoMustBeMp4() throws Exception {
    byte[] mp4 = file("clip.mp4", MediaSamples.mp4(300_000));
    assertThat(finished(body("video", origin.url("clip.mp4"), md5(mp4)))
            .path("status")
            .asInt())
        .isEqualTo(2);
    byte[] notVideo = file("clip.bin", MediaSamples.random(300_000, 2));
    JsonNode r = finished(body("video", origin.url("clip.bin"), md5(notVideo)));
    assertThat(r.path("status").asInt()).isEqualTo(3);
    assertThat(r.path("detail").path("errcode").asInt()).isEqualTo(40005);
  }

  @Test
  void refusedFetchesFailTheJobWithWeComsCodesAndStoreNothing() throws Exception {
    int stored = server.storedObjectCount();
    byte[] small = file("small.bin", MediaSamples.random((int) MB, 5));
    assertThat(detailCode(finished(
            body("file", origin.url("small.bin"), md5(small).replace('a', 'b').replace('0', '1')))))
        .as("md5 mismatch")
        .isEqualTo(301019);
    file("tiny.bin", new byte[4]);
    assertThat(detailCode(finished(body("file", origin.url("tiny.bin"), md5(new byte[4])))))
        .as("under 5 bytes")
        .isEqualTo(45001);
    origin.claimedLength = 200 * MB + 1;
    assertThat(detailCode(finished(body("file", origin.url("small.bin"), md5(small)))))
        .as("over 200 MB")
        .isEqualTo(45001);
    origin.claimedLength = 0;
    assertThat(detailCode(finished(body("file", origin.url("missing.bin"), md5(small)))))
        .as("404")
        .isEqualTo(830003);
    assertThat(detailCode(finished(body("file", "ftp://127.0.0.1/x", md5(small)))))
        .isEqualTo(830001);
    assertThat(detailCode(finished(body("file", "http://no-such-host.invalid/x", md5(small)))))
        .as("unresolvable")
        .isEqualTo(830003);

    origin.mode = RangeFileServer.Mode.NO_RANGES;
    assertThat(detailCode(finished(body("file", origin.url("small.bin"), md5(small)))))
        .as("no Range support")
        .isEqualTo(830001);
    byte[] big = file("big.bin", MediaSamples.random((int) (21 * MB), 6));
    assertThat(detailCode(finished(body("file", origin.url("big.bin"), md5(big)))))
        .as("over 20 MB without Range")
        .isEqualTo(830002);
    origin.mode = RangeFileServer.Mode.OVERSIZED_RANGES;
    assertThat(detailCode(finished(body("file", origin.url("big.bin"), md5(big)))))
        .as("a range over 20 MB")
        .isEqualTo(830002);
    assertThat(server.storedObjectCount()).isEqualTo(stored);
  }

  @Test
  void badCallsAreRefusedAtOnce() throws Exception {
    String token = server.token("wecom");
    String url = origin.url("x.bin");
    String md5 = "0".repeat(32);
    assertThat(errcode(submit(token, body("file", url, md5).replace("\"scene\":1", "\"scene\":2"))))
        .isEqualTo(40058);
    assertThat(errcode(submit(token, body("image", url, md5)))).isEqualTo(40004);
    assertThat(errcode(submit(token, body("file", url, "xyz")))).isEqualTo(40058);
    assertThat(errcode(submit(token, "{\"scene\":1,\"type\":\"file\",\"md5\":\"" + md5 + "\"}")))
        .isEqualTo(40058);
    assertThat(errcode(submit(server.token("official-account"), body("file", url, md5))))
        .isEqualTo(48001);
    assertThat(errcode(server.postJson(
            WeChatApi.MEDIA_UPLOAD_BY_URL_RESULT + "?access_token=" + token,
            "{\"jobid\":\"nosuchjob\"}")))
        .isEqualTo(40058);
    assertThat(origin.ranges).as("nothing fetched").isEmpty();
  }

  @Test
  void aRestartInTheMiddleOfAJobLosesNothing() throws Exception {
    byte[] bytes = file("slow.bin", MediaSamples.random((int) (3 * MB), 8));
    origin.throttle = 1 * MB;
    String jobId = json(submit(
            server.token("wecom"), body("file", origin.url("slow.bin"), md5(bytes))))
        .path("jobid")
        .asText();
    while (origin.ranges.isEmpty()) {
      Thread.sleep(20);
    }
    Thread.sleep(500);
    server.restart();
    origin.throttle = 0;
    JsonNode r = await(jobId, 120);
    assertThat(r.path("status").asInt()).as(r.toString()).isEqualTo(2);
    assertThat(origin.ranges).as("fetched again after the restart").hasSizeGreaterThanOrEqualTo(2);
    HttpResponse<byte[]> down =
        server.download(server.token("wecom"), r.path("detail").path("media_id").asText());
    assertThat(MediaSamples.sha256(down.body())).isEqualTo(MediaSamples.sha256(bytes));
  }

  static int detailCode(JsonNode result) {
    assertThat(result.path("status").asInt()).as(result.toString()).isEqualTo(3);
    assertThat(result.path("detail").path("errmsg").asText()).isNotEmpty();
    return result.path("detail").path("errcode").asInt();
  }

  static int errcode(HttpResponse<String> r) {
    return json(r).path("errcode").asInt();
  }

  /** A listener standing for a host fetches must not reach: it counts the connections it accepts. */
  static final class Listener implements AutoCloseable {
    final ServerSocket socket;
    final AtomicInteger accepted = new AtomicInteger();

    Listener(String address) throws Exception {
      socket = new ServerSocket();
      socket.bind(new InetSocketAddress(InetAddress.getByName(address), 0));
      Thread t = new Thread(() -> {
        while (!socket.isClosed()) {
          try (Socket s = socket.accept()) {
            accepted.incrementAndGet();
          } catch (Exception closed) {
            return;
          }
        }
      });
      t.setDaemon(true);
      t.start();
    }

    String url() {
      return "http://" + socket.getInetAddress().getHostAddress() + ":" + socket.getLocalPort()
          + "/file.bin";
    }

    @Override
    public void close() throws Exception {
      socket.close();
    }
  }

  @Test
  void inProdOnlyTheAllowListIsFetchedAndAnOutsideHostIsNeverContacted(@TempDir Path prodData)
      throws Exception {
    server.close();
    server = TestServer.withConfig(prodData, """
        mode: prod
        admin: { token: admin-token-for-tests-0123456789 }
        uploadByUrl: { allowedHosts: [ 127.0.0.1 ] }
        apps:
          - { product: wecom, corpid: ww00000000000000c3, secrets: [ prodsecret0000000000000000000003 ] }
        """);
    String token = json(server.get(
            "/cgi-bin/gettoken?corpid=ww00000000000000c3&corpsecret=prodsecret0000000000000000000003"))
        .path("access_token")
        .asText();
    byte[] bytes = file("ok.bin", MediaSamples.random(10_000, 9));
    try (Listener outside = new Listener("127.0.0.2")) {
      String allowed = json(submit(token, body("file", origin.url("ok.bin"), md5(bytes))))
          .path("jobid")
          .asText();
      String direct = json(submit(token, body("file", outside.url(), md5(bytes))))
          .path("jobid")
          .asText();
      origin.redirectTo = outside.url();
      String redirected = json(submit(token, body("file", origin.url("redirect"), md5(bytes))))
          .path("jobid")
          .asText();
      String localhost = json(submit(
              token,
              body("file", "http://localhost:" + outside.socket.getLocalPort() + "/", md5(bytes))))
          .path("jobid")
          .asText();
      assertThat(awaitWith(token, allowed).path("status").asInt()).isEqualTo(2);
      assertThat(awaitWith(token, direct).path("detail").path("errcode").asInt())
          .isEqualTo(830001);
      assertThat(awaitWith(token, redirected).path("detail").path("errcode").asInt())
          .as("judged again on the redirect")
          .isEqualTo(830001);
      JsonNode viaName = awaitWith(token, localhost);
      assertThat(viaName.path("status").asInt()).isEqualTo(3);
      assertThat(outside.accepted.get()).as("never contacted").isZero();
    }
  }

  JsonNode awaitWith(String token, String jobId) throws Exception {
    long until = System.nanoTime() + 60_000_000_000L;
    while (true) {
      JsonNode r = json(server.postJson(
          WeChatApi.MEDIA_UPLOAD_BY_URL_RESULT + "?access_token=" + token,
          "{\"jobid\":\"" + jobId + "\"}"));
      if (r.path("status").asInt() != 1 || System.nanoTime() > until) {
        return r;
      }
      Thread.sleep(100);
    }
  }
}
