package dev.tempmedia.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * HTTP/1.x over a plain socket: the request goes out byte for byte as the test wrote it (no client
 * library to fix a broken header or drop a bad one), and one response is read back as sent.
 */
public final class RawHttp {
  private static final int READ_TIMEOUT_MS = 15_000;
  private static final int MAX_HEAD_BYTES = 256 * 1024;

  private RawHttp() {}

  /** One response: its status, head as it came, header fields in order, and body. */
  public record Response(int status, String head, List<String[]> fields, byte[] body) {
    /** The first value of a header field, names compared without case; null when absent. */
    public String header(String name) {
      return fields.stream()
          .filter(f -> f[0].equalsIgnoreCase(name))
          .map(f -> f[1])
          .findFirst()
          .orElse(null);
    }

    public long count(String name) {
      return fields.stream().filter(f -> f[0].equalsIgnoreCase(name)).count();
    }

    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    public com.fasterxml.jackson.databind.JsonNode json() {
      return TestServer.json(text());
    }
  }

  /** The request head ending with the empty line, CRLF after every line given. */
  public static byte[] head(String... lines) {
    StringBuilder out = new StringBuilder();
    for (String line : lines) {
      out.append(line).append("\r\n");
    }
    return out.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  public static byte[] concat(byte[]... pieces) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : pieces) {
      out.write(p, 0, p.length);
    }
    return out.toByteArray();
  }

  /** Sends {@code request} and reads one response; {@code headRequest} says no body follows the head. */
  public static Response exchange(int port, byte[] request, boolean headRequest)
      throws IOException {
    return exchange(port, out -> out.write(request), headRequest);
  }

  /** What a test writes to the connection; it runs beside the reader, so a server may answer early. */
  @FunctionalInterface
  public interface Writer {
    void write(OutputStream out) throws IOException;
  }

  public static Response exchange(int port, Writer writer, boolean headRequest) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(READ_TIMEOUT_MS);
      OutputStream out = socket.getOutputStream();
      // The server may answer and stop reading before the request is all sent (that is the point of
      // many of these requests), so writing must not hold up reading.
      CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
        try {
          writer.write(out);
          out.flush();
        } catch (IOException ignored) {
          // The server closed its side: what it answered is still to be read.
        }
      });
      try {
        return read(socket.getInputStream(), headRequest);
      } finally {
        sending.cancel(true);
      }
    }
  }

  /** Reads one response, skipping interim 1xx answers. */
  public static Response read(InputStream in, boolean headRequest) throws IOException {
    while (true) {
      String head = readHead(in);
      int status = Integer.parseInt(head.substring(9, 12));
      List<String[]> fields = fields(head);
      if (status >= 100 && status < 200) {
        continue;
      }
      Response headOnly = new Response(status, head, fields, new byte[0]);
      if (headRequest || status == 204 || status == 304) {
        return headOnly;
      }
      String length = headOnly.header("Content-Length");
      String encoding = headOnly.header("Transfer-Encoding");
      byte[] body;
      if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
        body = readChunked(in);
      } else if (length != null) {
        body = in.readNBytes(Integer.parseInt(length.trim()));
      } else {
        body = readToEnd(in);
      }
      return new Response(status, head, fields, body);
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int state = 0;
    while (state < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("the connection closed after " + head.size()
            + " bytes of response head: " + head.toString(StandardCharsets.ISO_8859_1));
      }
      head.write(b);
      state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3))
          ? state + 1
          : b == '\r' ? 1 : 0;
      if (head.size() > MAX_HEAD_BYTES) {
        throw new IOException("a response head over " + MAX_HEAD_BYTES + " bytes");
      }
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  private static List<String[]> fields(String head) {
    List<String[]> out = new ArrayList<>();
    String[] lines = head.split("\r\n");
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        out.add(new String[] {
          lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim()
        });
      } else if (!lines[i].isEmpty()) {
        out.add(new String[] {"", lines[i]});
      }
    }
    return out;
  }

  private static byte[] readChunked(InputStream in) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String sizeLine = readLine(in);
      int semi = sizeLine.indexOf(';');
      int size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
      if (size == 0) {
        while (!readLine(in).isEmpty()) {
          // trailers
        }
        return body.toByteArray();
      }
      body.write(in.readNBytes(size));
      readLine(in);
    }
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    int b;
    while ((b = in.read()) >= 0 && b != '\n') {
      if (b != '\r') {
        line.append((char) b);
      }
    }
    return line.toString();
  }

  private static byte[] readToEnd(InputStream in) throws IOException {
    try {
      return in.readAllBytes();
    } catch (SocketException e) {
      return new byte[0];
    }
  }
}
