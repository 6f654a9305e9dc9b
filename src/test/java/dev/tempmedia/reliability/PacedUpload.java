package dev.tempmedia.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tempmedia.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One upload over a raw socket, its body sent at a fixed rate, so that a kill can find it anywhere:
 * not connected yet, mid-body, waiting for the answer, or answered. Records which of these it reached;
 * only a complete 200 answer carrying a media_id counts as acknowledged.
 */
final class PacedUpload {
  enum Outcome {
    NOT_STARTED,
    CUT_MID_BODY,
    SENT_UNANSWERED,
    ACKNOWLEDGED,
    REFUSED
  }

  private static final int CHUNK = 16 * 1024;

  private final int port;
  private final String token;
  private final MediaSample sample;
  private final long bytesPerSecond;
  private volatile boolean started;
  private volatile boolean bodySent;
  private volatile String mediaId;
  private volatile String refusal;

  PacedUpload(int port, String token, MediaSample sample, long bytesPerSecond) {
    this.port = port;
    this.token = token;
    this.sample = sample;
    this.bytesPerSecond = bytesPerSecond;
  }

  MediaSample sample() {
    return sample;
  }

  String mediaId() {
    return mediaId;
  }

  String refusal() {
    return refusal;
  }

  Outcome outcome() {
    if (mediaId != null) {
      return Outcome.ACKNOWLEDGED;
    }
    if (refusal != null) {
      return Outcome.REFUSED;
    }
    if (bodySent) {
      return Outcome.SENT_UNANSWERED;
    }
    return started ? Outcome.CUT_MID_BODY : Outcome.NOT_STARTED;
  }

  /** Runs the upload to its end; a connection broken by the kill simply ends it. */
  void run() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
      socket.setSoTimeout(30_000);
      started = true;
      send(socket.getOutputStream());
      bodySent = true;
      readAnswer(socket.getInputStream());
    } catch (IOException brokenByTheKill) {
      // Unacknowledged: what the server did with it is what the test checks.
    }
  }

  private void send(OutputStream out) throws IOException {
    byte[] body = sample.form();
    String head = "POST /cgi-bin/media/upload?access_token=" + token + "&type=image HTTP/1.1\r\n"
        + "Host: 127.0.0.1:" + port + "\r\n"
        + "Content-Type: " + sample.formContentType() + "\r\n"
        + "Content-Length: " + body.length + "\r\n"
        + "Connection: close\r\n\r\n";
    out.write(head.getBytes(StandardCharsets.US_ASCII));
    long begin = System.nanoTime();
    for (int offset = 0; offset < body.length; offset += CHUNK) {
      int n = Math.min(CHUNK, body.length - offset);
      out.write(body, offset, n);
      out.flush();
      long dueNanos = (offset + n) * 1_000_000_000L / bytesPerSecond;
      long aheadMillis = (dueNanos - (System.nanoTime() - begin)) / 1_000_000;
      if (aheadMillis > 0) {
        sleep(aheadMillis);
      }
    }
  }

  private void readAnswer(InputStream in) throws IOException {
    String head = readHead(in);
    String statusLine = head.substring(0, head.indexOf("\r\n"));
    int length = -1;
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
      }
    }
    if (length < 0) {
      throw new IOException("an answer without Content-Length: " + head);
    }
    byte[] bytes = in.readNBytes(length);
    if (bytes.length < length) {
      throw new IOException("the answer was cut short");
    }
    String body = new String(bytes, StandardCharsets.UTF_8);
    JsonNode json = TestServer.json(body);
    if (statusLine.startsWith("HTTP/1.1 200") && json.hasNonNull("media_id")) {
      mediaId = json.get("media_id").asText();
    } else {
      refusal = statusLine + " " + body;
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < end.length) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("the connection ended before the answer's headers");
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.US_ASCII);
  }

  private static void sleep(long millis) throws IOException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
