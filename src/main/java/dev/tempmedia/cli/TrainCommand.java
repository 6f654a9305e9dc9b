package dev.tempmedia.cli;

import dev.tempmedia.admin.OperatorApi;
import dev.tempmedia.auth.App;
import dev.tempmedia.auth.DevApps;
import dev.tempmedia.config.ConfigLoader;
import dev.tempmedia.config.TempmediaConfig;
import dev.tempmedia.http.WeChatApi;
import dev.tempmedia.server.TempmediaServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine.Command;

/**
 * The class-data-sharing training run the build makes: start a server in a scratch directory, take
 * a token, upload and download one image, stop. Run under {@code -XX:DumpLoadedClassList}, it lists
 * every class those steps load; {@code -Xshare:dump} then writes them into a static archive, which a
 * JVM started with {@code -XX:SharedArchiveFile} maps instead of reading and verifying the classes
 * from the jar: about half the start time.
 * Requests go over a plain socket so that no HTTP client's classes end up in the archive.
 */
@Command(
    name = "train",
    hidden = true,
    description = "Exercise the server once (for the build's class-data archive).")
final class TrainCommand implements Callable<Integer> {
  private static final App APP = DevApps.ALL.get(0);
  private static final Pattern STRING_FIELD =
      Pattern.compile("\"(access_token|media_id)\":\"([^\"]+)\"");

  @Override
  public Integer call() throws IOException {
    Path data = Files.createTempDirectory("tempmedia-train");
    TempmediaConfig config = ConfigLoader.load(
        null,
        Map.of(),
        Map.of("server.port", "0", "storage.path", data.toString(), "storage.fsync", "false"));
    try (TempmediaServer server = TempmediaServer.start(config)) {
      int port = server.port();
      String token = field(
          request(
              port,
              "GET "
                  + WeChatApi.tokenRequest(
                      APP.product().profile().tokens(), APP.id(), APP.secrets().get(0))
                  + " HTTP/1.1\r\n\r\n",
              new byte[0]),
          "access_token");
      String boundary = "trainingboundary";
      byte[] body = concat(
          ("--" + boundary
                  + "\r\nContent-Disposition: form-data; name=\"media\"; filename=\"t.png\"\r\n"
                  + "Content-Type: image/png\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII),
          TINY_PNG,
          ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
      String mediaId = field(
          request(
              port,
              "POST " + WeChatApi.MEDIA_UPLOAD + "?access_token=" + token
                  + "&type=image HTTP/1.1\r\n"
                  + "Content-Type: multipart/form-data; boundary=" + boundary
                  + "\r\nContent-Length: " + body.length
                  + "\r\n\r\n",
              body),
          "media_id");
      request(
          port,
          "GET " + WeChatApi.MEDIA_GET + "?access_token=" + token + "&media_id=" + mediaId
              + " HTTP/1.1\r\n" + "Range: bytes=0-9\r\n\r\n",
          new byte[0]);
      request(port, "GET " + OperatorApi.HEALTH + " HTTP/1.1\r\n\r\n", new byte[0]);
    } finally {
      try (Stream<Path> files = Files.walk(data)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    return 0;
  }

  /** One request on its own connection; answers the whole response, headers and body. */
  private static String request(int port, String head, byte[] body) throws IOException {
    String[] lines = head.split("\r\n", 2);
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      OutputStream out = socket.getOutputStream();
      out.write((lines[0] + "\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + lines[1])
          .getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  private static String field(String response, String name) {
    Matcher m = STRING_FIELD.matcher(response);
    while (m.find()) {
      if (m.group(1).equals(name)) {
        return m.group(2);
      }
    }
    throw new IllegalStateException("training request failed: " + response);
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] all = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, all, at, p.length);
      at += p.length;
    }
    return all;
  }

  /** A 1×1 PNG. */
  private static final byte[] TINY_PNG = java.util.Base64.getDecoder()
      .decode(
          "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==");
}
