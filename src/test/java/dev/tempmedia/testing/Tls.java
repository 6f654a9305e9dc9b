package dev.tempmedia.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS from the client's side, as an SDK that hard-codes WeChat's hosts sees it: a trust store of one
 * CA, handshakes that send a host name (SNI) and verify the certificate against it while the socket
 * goes to 127.0.0.1, and CONNECT tunnels through the forward proxy written by hand.
 */
public final class Tls {
  private Tls() {}

  /** The certificates of a PEM text (the JDK's own parser, not the server's). */
  public static List<X509Certificate> certificates(String pem) {
    try {
      return CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
          .stream()
          .map(c -> (X509Certificate) c)
          .toList();
    } catch (GeneralSecurityException e) {
      throw new AssertionError("not a PEM certificate: " + pem, e);
    }
  }

  /** An SSLContext that trusts the certificates of {@code caPem} and nothing else. */
  public static SSLContext trusting(String caPem) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trustManagers(caPem).getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  /** Trust managers that trust the certificates of {@code caPem} and nothing else. */
  public static TrustManagerFactory trustManagers(String caPem) {
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (X509Certificate ca : certificates(caPem)) {
        store.setCertificateEntry("ca" + i++, ca);
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      return tmf;
    } catch (GeneralSecurityException | IOException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * A TLS client handshake over {@code socket} (already connected to tempmedia, directly or through a
   * tunnel) as a client of {@code host}: SNI names it and the certificate must name it too. Only
   * {@code protocols} are offered; none means the JDK's defaults.
   */
  public static SSLSocket handshake(
      SSLContext context, Socket socket, String host, List<String> alpn, String... protocols)
      throws IOException {
    SSLSocket tls =
        (SSLSocket) context.getSocketFactory().createSocket(socket, host, socket.getPort(), true);
    SSLParameters params = tls.getSSLParameters();
    params.setEndpointIdentificationAlgorithm("HTTPS");
    params.setServerNames(List.of(new SNIHostName(host)));
    if (protocols.length > 0) {
      params.setProtocols(protocols);
    }
    if (!alpn.isEmpty()) {
      params.setApplicationProtocols(alpn.toArray(String[]::new));
    }
    tls.setSSLParameters(params);
    tls.setSoTimeout(15_000);
    tls.startHandshake();
    return tls;
  }

  /** A handshake straight to {@code port} on 127.0.0.1, as a client of {@code host}. */
  public static SSLSocket handshake(SSLContext context, int port, String host, String... protocols)
      throws IOException {
    Socket plain = new Socket("127.0.0.1", port);
    try {
      return handshake(context, plain, host, List.of(), protocols);
    } catch (IOException | RuntimeException e) {
      plain.close();
      throw e;
    }
  }

  /** What a CONNECT answered: its response, and the socket (open when it was a 200). */
  public record Tunnel(RawHttp.Response response, Socket socket) implements AutoCloseable {
    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  /** Sends {@code CONNECT target} to the proxy and reads its answer; the socket is left as it is. */
  public static Tunnel connect(int proxyPort, String target) throws IOException {
    return connect(proxyPort, target, null);
  }

  /** As {@link #connect(int, String)}, from {@code localAddress} (a 127.x address other than 127.0.0.1). */
  public static Tunnel connect(int proxyPort, String target, InetAddress localAddress)
      throws IOException {
    Socket socket = new Socket();
    try {
      if (localAddress != null) {
        socket.bind(new InetSocketAddress(localAddress, 0));
      }
      socket.connect(new InetSocketAddress("127.0.0.1", proxyPort), 5_000);
      socket.setSoTimeout(15_000);
      OutputStream out = socket.getOutputStream();
      out.write(RawHttp.head("CONNECT " + target + " HTTP/1.1", "Host: " + target));
      out.flush();
      // A 200 to CONNECT has no body: read only the head, so the tunnel's bytes stay unread.
      RawHttp.Response answer = RawHttp.read(socket.getInputStream(), true);
      if (answer.status() != 200) {
        answer = new RawHttp.Response(
            answer.status(), answer.head(), answer.fields(), body(answer, socket.getInputStream()));
      }
      return new Tunnel(answer, socket);
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  private static byte[] body(RawHttp.Response head, InputStream in) throws IOException {
    String length = head.header("Content-Length");
    return length == null ? in.readAllBytes() : in.readNBytes(Integer.parseInt(length.trim()));
  }

  /** One HTTP/1.1 request over an open (TLS) socket, and its response. */
  public static RawHttp.Response exchange(Socket socket, byte[] request) throws IOException {
    socket.getOutputStream().write(request);
    socket.getOutputStream().flush();
    return RawHttp.read(socket.getInputStream(), false);
  }

  /**
   * One HTTP/1.1 exchange over an open (TLS) socket whose request {@code writer} sends beside the
   * reading, as {@link RawHttp#exchange(int, RawHttp.Writer, boolean)} does on a plain port: the
   * server may answer before the request is all sent.
   */
  public static RawHttp.Response exchange(Socket socket, RawHttp.Writer writer) throws IOException {
    OutputStream out = socket.getOutputStream();
    java.util.concurrent.CompletableFuture<Void> sending =
        java.util.concurrent.CompletableFuture.runAsync(() -> {
          try {
            writer.write(out);
            out.flush();
          } catch (IOException ignored) {
            // The server stopped reading: its answer is still to be read.
          }
        });
    try {
      return RawHttp.read(socket.getInputStream(), false);
    } finally {
      sending.cancel(true);
    }
  }

  /** A JDK HttpClient that reaches every host through the forward proxy and trusts {@code context}. */
  public static HttpClient throughProxy(int proxyPort, SSLContext context, HttpClient.Version v) {
    return HttpClient.newBuilder()
        .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", proxyPort)))
        .sslContext(context)
        .version(v)
        .connectTimeout(Duration.ofSeconds(10))
        .build();
  }
}
