package dev.tempmedia.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A file server for upload_by_url tests, on a loopback address and port 0: it serves the files of a
 * directory, honours a single {@code Range} (or, when told, ignores it, answers more than was asked,
 * or claims a larger file than it has), can throttle, and records every range it was asked for.
 * Bodies are streamed from disk.
 */
public final class RangeFileServer implements AutoCloseable {
  private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");

  /** How the server treats Range. */
  public enum Mode {
    RANGES,
    NO_RANGES,
    /** Answers 206 from the asked start to the end of the file, whatever end was asked. */
    OVERSIZED_RANGES
  }

  public volatile Mode mode = Mode.RANGES;
  /** Bytes per second, 0 for no limit. */
  public volatile long throttle;
  /** A file length to claim in Content-Range instead of the real one (0: the real one). */
  public volatile long claimedLength;
  /** Where {@code /redirect} sends the client. */
  public volatile String redirectTo;

  public final List<String> ranges = new CopyOnWriteArrayList<>();
  public final AtomicLong largestAnswer = new AtomicLong();
  private final Path dir;
  private final HttpServer http;

  public RangeFileServer(Path dir, String loopbackAddress) throws IOException {
    this.dir = dir;
    this.http =
        HttpServer.create(new InetSocketAddress(InetAddress.getByName(loopbackAddress), 0), 16);
    http.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "range-file-server");
      t.setDaemon(true);
      return t;
    }));
    http.createContext("/", this::serve);
    http.start();
  }

  public String url(String name) {
    return "http://" + http.getAddress().getAddress().getHostAddress() + ":"
        + http.getAddress().getPort() + "/" + name;
  }

  private void serve(HttpExchange ex) throws IOException {
    try (ex) {
      String name = ex.getRequestURI().getPath().substring(1);
      if (name.equals("redirect") && redirectTo != null) {
        ex.getResponseHeaders().set("Location", redirectTo);
        ex.sendResponseHeaders(302, -1);
        return;
      }
      Path file = dir.resolve(name);
      if (name.isEmpty() || name.contains("/") || !Files.isRegularFile(file)) {
        ex.sendResponseHeaders(404, -1);
        return;
      }
      long size = Files.size(file);
      String range = ex.getRequestHeaders().getFirst("Range");
      ranges.add(String.valueOf(range));
      ex.getResponseHeaders().set("ETag", "\"v1-" + size + "\"");
      Matcher m = range == null ? null : RANGE.matcher(range);
      if (mode == Mode.NO_RANGES || m == null || !m.matches()) {
        send(ex, file, 200, 0, size);
        return;
      }
      long first = Long.parseLong(m.group(1));
      long last = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
      if (mode == Mode.OVERSIZED_RANGES) {
        last = size - 1;
      }
      if (first >= size) {
        ex.getResponseHeaders().set("Content-Range", "bytes */" + size);
        ex.sendResponseHeaders(416, -1);
        return;
      }
      long total = claimedLength > 0 ? claimedLength : size;
      ex.getResponseHeaders().set("Content-Range", "bytes " + first + "-" + last + "/" + total);
      send(ex, file, 206, first, last - first + 1);
    }
  }

  private void send(HttpExchange ex, Path file, int status, long offset, long length)
      throws IOException {
    largestAnswer.accumulateAndGet(length, Math::max);
    ex.sendResponseHeaders(status, length);
    byte[] buf = new byte[64 * 1024];
    try (InputStream in = Files.newInputStream(file);
        OutputStream out = ex.getResponseBody()) {
      in.skipNBytes(offset);
      long left = length;
      while (left > 0) {
        int n = in.read(buf, 0, (int) Math.min(buf.length, left));
        if (n < 0) {
          break;
        }
        out.write(buf, 0, n);
        left -= n;
        long perSecond = throttle;
        if (perSecond > 0) {
          try {
            Thread.sleep(Math.max(1, n * 1000L / perSecond));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }
    } catch (IOException clientLeft) {
      // the fetcher stopped reading (a refused job, a restart): nothing to do
    }
  }

  @Override
  public void close() {
    http.stop(0);
  }
}
