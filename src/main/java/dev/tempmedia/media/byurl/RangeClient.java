package dev.tempmedia.media.byurl;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One HTTP/1.1 GET with a {@code Range}, to an address the {@link AddressGuard} has already judged:
 * the connection goes to that address while {@code Host} (and, for https, SNI and the certificate
 * check) use the URL's name. A general client would resolve the name again by itself, which is what
 * lets a rebinding name slip past a check. The body is a stream over the socket, never held whole;
 * only {@code Content-Length} bodies are read (a ranged answer always has one).
 */
final class RangeClient {
  private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
  private static final int READ_TIMEOUT_MILLIS = 30_000;
  private static final int MAX_HEAD_BYTES = 16 * 1024;

  private RangeClient() {}

  /** An answer's status, headers (names lower-case) and body. */
  record Response(int status, Map<String, String> headers, InputStream body, Closeable connection)
      implements Closeable {
    String header(String name) {
      return headers.get(name);
    }

    /** The declared body length, or -1. */
    long contentLength() {
      try {
        String v = headers.get("content-length");
        return v == null ? -1 : Long.parseLong(v.trim());
      } catch (NumberFormatException e) {
        return -1;
      }
    }

    @Override
    public void close() throws IOException {
      connection.close();
    }
  }

  static Response get(URI uri, InetAddress address, String range, String ifRange)
      throws IOException {
    boolean tls = "https".equalsIgnoreCase(uri.getScheme());
    String host = hostOf(uri);
    int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
    Socket socket = new Socket();
    try {
      socket.connect(new InetSocketAddress(address, port), CONNECT_TIMEOUT_MILLIS);
      socket.setSoTimeout(READ_TIMEOUT_MILLIS);
      if (tls) {
        socket = secure(socket, host, port);
      }
      StringBuilder head = new StringBuilder()
          .append("GET ")
          .append(target(uri))
          .append(" HTTP/1.1\r\n")
          .append("Host: ")
          .append(uri.getRawAuthority().replaceFirst("^[^@]*@", ""))
          .append("\r\n")
          .append("Range: ")
          .append(range)
          .append("\r\n");
      if (ifRange != null) {
        head.append("If-Range: ").append(ifRange).append("\r\n");
      }
      head.append("Accept-Encoding: identity\r\n")
          .append("User-Agent: tempmedia upload_by_url\r\n")
          .append("Connection: close\r\n\r\n");
      OutputStream out = socket.getOutputStream();
      out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
      int status = statusOf(line(in));
      Map<String, String> headers = new HashMap<>();
      int headBytes = 0;
      for (String h; !(h = line(in)).isEmpty(); ) {
        headBytes += h.length();
        if (headBytes > MAX_HEAD_BYTES) {
          throw new IOException("the answer's head is over " + MAX_HEAD_BYTES + " bytes");
        }
        int colon = h.indexOf(':');
        if (colon > 0) {
          headers.put(
              h.substring(0, colon).trim().toLowerCase(Locale.ROOT),
              h.substring(colon + 1).trim());
        }
      }
      return new Response(status, Map.copyOf(headers), in, socket);
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  /** The URL's host as a name for Host, SNI and the certificate: IPv6 literals without brackets. */
  static String hostOf(URI uri) {
    String host = uri.getHost();
    return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
  }

  private static String target(URI uri) {
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
  }

  private static Socket secure(Socket plain, String host, int port) throws IOException {
    SSLSocket ssl = (SSLSocket)
        ((SSLSocketFactory) SSLSocketFactory.getDefault()).createSocket(plain, host, port, true);
    SSLParameters params = ssl.getSSLParameters();
    params.setEndpointIdentificationAlgorithm("HTTPS");
    if (!host.contains(":") && !host.matches("[0-9.]+")) {
      params.setServerNames(List.of(new SNIHostName(host)));
    }
    ssl.setSSLParameters(params);
    ssl.startHandshake();
    return ssl;
  }

  private static int statusOf(String statusLine) throws IOException {
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
      throw new IOException("not an HTTP/1.x answer: " + statusLine);
    }
    try {
      return Integer.parseInt(parts[1]);
    } catch (NumberFormatException e) {
      throw new IOException("not an HTTP status: " + statusLine);
    }
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream(64);
    for (int c; (c = in.read()) != '\n'; ) {
      if (c < 0) {
        throw new IOException("the connection closed inside the answer's head");
      }
      if (b.size() > MAX_HEAD_BYTES) {
        throw new IOException("a header line is over " + MAX_HEAD_BYTES + " bytes");
      }
      if (c != '\r') {
        b.write(c);
      }
    }
    return b.toString(StandardCharsets.ISO_8859_1);
  }
}
