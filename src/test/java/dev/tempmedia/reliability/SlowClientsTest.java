package dev.tempmedia.reliability;

import static dev.tempmedia.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tempmedia.testing.MediaSamples;
import dev.tempmedia.testing.Multipart;
import dev.tempmedia.testing.RawHttp;
import dev.tempmedia.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.LongSummaryStatistics;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow clients (slowloris: request heads sent a byte at a time) must not starve normal ones, and the
 * server must close a connection whose request head is not complete within {@code server.idleTimeout}:
 * the idle timeout counts only whole request heads and body chunks as activity, so a trickled head
 * does not keep a connection alive, while a slow but steady body does. A small timeout keeps the run short.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SlowClientsTest {
  static final int IDLE_TIMEOUT_S = 3;
  static final int WANTED_SLOW_CONNECTIONS = 500;
  /** Timers, accept queues and a busy two-core machine: how late a close may come. */
  static final long LATE_MS = 2_500;

  TestServer server;

  @BeforeAll
  void start(@TempDir Path data) {
    server = new TestServer(data, Map.of("server.idleTimeout", Integer.toString(IDLE_TIMEOUT_S)));
  }

  @AfterAll
  void stop() {
    server.close();
  }

  @Test
  void slowHeadsDoNotStarveNormalRequestsAndAreClosedAtTheIdleTimeout() throws Exception {
    int slow = slowConnectionsThatFit();
    List<Long> normalMillis = new ArrayList<>();
    byte[] image = MediaSamples.jpeg(60, 40);
    try (Slowloris loris = new Slowloris(server.server().port(), slow, 300)) {
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (loris.open() < slow && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(loris.open()).as("slow connections held").isEqualTo(slow);

      // Normal traffic for 8 s, through several rounds of slow connections timing out and coming
      // back.
      long until = System.nanoTime() + 8_000_000_000L;
      while (System.nanoTime() < until) {
        long t0 = System.nanoTime();
        String token = server.token("official-account");
        normalMillis.add(sinceMillis(t0));
        long t1 = System.nanoTime();
        String id =
            json(server.upload(token, "image", "a.jpg", image)).path("media_id").asText();
        normalMillis.add(sinceMillis(t1));
        assertThat(id).hasSize(64);
        long t2 = System.nanoTime();
        assertThat(server.download(token, id).body()).isEqualTo(image);
        normalMillis.add(sinceMillis(t2));
      }

      LongSummaryStatistics normal =
          normalMillis.stream().mapToLong(Long::longValue).summaryStatistics();
      LongSummaryStatistics lifetimes =
          loris.lifetimesMillis().stream().mapToLong(Long::longValue).summaryStatistics();
      System.out.printf(
          "slow connections: %d held at once (peak %d), %d opened, %d closed by the server,"
              + " lifetime min %d / max %d ms; normal requests: %d, max %d ms, average %.1f ms%n",
          slow,
          loris.peak(),
          loris.opened(),
          lifetimes.getCount(),
          lifetimes.getMin(),
          lifetimes.getMax(),
          normal.getCount(),
          normal.getMax(),
          normal.getAverage());

      assertThat(normal.getMax()).as("slowest normal request, ms").isLessThan(2_000);
      assertThat(lifetimes.getCount())
          .as("slow connections the server closed")
          .isGreaterThanOrEqualTo(slow);
      assertThat(lifetimes.getMin())
          .as("shortest slow connection, ms")
          .isGreaterThanOrEqualTo(IDLE_TIMEOUT_S * 1000 - 100);
      assertThat(lifetimes.getMax())
          .as("longest slow connection, ms")
          .isLessThan(IDLE_TIMEOUT_S * 1000 + LATE_MS);
    }
    assertThat(server.get("/_tempmedia/health").statusCode()).isEqualTo(200);
  }

  @Test
  void aConnectionThatSendsNothingIsClosedAtTheIdleTimeout() throws Exception {
    try (Socket socket = connect()) {
      assertClosedAtTheIdleTimeout(socket, System.nanoTime());
    }
  }

  @Test
  void anIdleKeepAliveConnectionIsClosedAtTheIdleTimeout() throws Exception {
    try (Socket socket = connect()) {
      socket.getOutputStream().write(health());
      assertThat(RawHttp.read(socket.getInputStream(), false).status()).isEqualTo(200);
      assertClosedAtTheIdleTimeout(socket, System.nanoTime());
    }
  }

  @Test
  void aKeepAliveConnectionThatTricklesItsNextHeadIsClosed() throws Exception {
    try (Socket socket = connect()) {
      OutputStream out = socket.getOutputStream();
      out.write(health());
      assertThat(RawHttp.read(socket.getInputStream(), false).status()).isEqualTo(200);
      long t0 = System.nanoTime();
      // Bytes keep coming, but no whole head: they do not count as activity.
      byte[] next =
          "GET /_tempmedia/health HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII);
      try {
        for (int i = 0; sinceMillis(t0) < 20_000; i++) {
          out.write(i < next.length ? next[i] : (byte) "X-a: b\r\n".charAt(i % 8));
          out.flush();
          if (socket.getInputStream().available() > 0) {
            break;
          }
          Thread.sleep(250);
        }
      } catch (SocketException e) {
        // Closed by the server while writing: what the test waits for.
      }
      assertClosedAtTheIdleTimeout(socket, t0);
    }
  }

  @Test
  void aSlowButSteadyBodyIsNotCutOffByTheIdleTimeout() throws Exception {
    byte[] image = MediaSamples.jpeg(40, 40);
    Multipart form = new Multipart().media("slow.jpg", image);
    byte[] body = form.close();
    String token = server.token("official-account");
    try (Socket socket = connect()) {
      OutputStream out = socket.getOutputStream();
      out.write(RawHttp.head(
          "POST /cgi-bin/media/upload?access_token=" + token + "&type=image HTTP/1.1",
          "Host: x",
          "Content-Type: " + form.contentType(),
          "Content-Length: " + body.length));
      // Twice the idle timeout in all, in pieces closer together than the idle timeout.
      int pieces = 8;
      for (int i = 0; i < pieces; i++) {
        out.write(
            body,
            i * body.length / pieces,
            (i + 1) * body.length / pieces - i * body.length / pieces);
        out.flush();
        Thread.sleep(IDLE_TIMEOUT_S * 2000L / pieces);
      }
      RawHttp.Response r = RawHttp.read(socket.getInputStream(), false);
      assertThat(r.json().path("media_id").asText()).as(r.text()).hasSize(64);
    }
  }

  // ---- helpers
  // -----------------------------------------------------------------------------------

  /**
   * Each slow connection costs two descriptors in this JVM (client and server side); the wanted 500
   * unless the open-file limit leaves less room.
   */
  static int slowConnectionsThatFit() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
      long room = (unix.getMaxFileDescriptorCount() - unix.getOpenFileDescriptorCount() - 512) / 2;
      if (room < WANTED_SLOW_CONNECTIONS) {
        System.out.printf(
            "open-file limit %d: holding %d slow connections instead of %d%n",
            unix.getMaxFileDescriptorCount(), room, WANTED_SLOW_CONNECTIONS);
      }
      assertThat(room).as("room for slow connections under the open-file limit").isGreaterThan(50);
      return (int) Math.min(WANTED_SLOW_CONNECTIONS, room);
    }
    return WANTED_SLOW_CONNECTIONS;
  }

  Socket connect() throws IOException {
    Socket socket = new Socket("127.0.0.1", server.server().port());
    socket.setSoTimeout(20_000);
    return socket;
  }

  static byte[] health() {
    return RawHttp.head("GET /_tempmedia/health HTTP/1.1", "Host: x");
  }

  /** Reads until the server closes the connection; answers what came before the close. */
  static byte[] readUntilClosed(InputStream in) throws IOException {
    try {
      return in.readAllBytes();
    } catch (SocketException e) {
      return new byte[0];
    }
  }

  /** The server closes {@code socket}, sending nothing more, one idle timeout after {@code sinceNanos}. */
  private static void assertClosedAtTheIdleTimeout(Socket socket, long sinceNanos)
      throws IOException {
    assertThat(readUntilClosed(socket.getInputStream())).isEmpty();
    assertThat(sinceMillis(sinceNanos))
        .isBetween(IDLE_TIMEOUT_S * 1000L - 100, IDLE_TIMEOUT_S * 1000L + LATE_MS);
  }

  static long sinceMillis(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
