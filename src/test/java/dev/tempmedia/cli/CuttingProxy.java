package dev.tempmedia.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TCP proxy in front of a server that records every request head it passes on and breaks the
 * first download ({@code GET /cgi-bin/media/get}) after a set number of response bytes, as a
 * dropped mobile connection would: it closes the connection, or leaves it open and silent. Or it
 * stops taking the body of the first upload part way.
 */
final class CuttingProxy implements AutoCloseable {
  enum Mode {
    /** Close the first download's connection after the limit. */
    CUT_DOWNLOAD,
    /** Stop sending the first download's bytes after the limit, the connection left open. */
    STALL_DOWNLOAD,
    /** Stop reading the first upload after the limit, the connection left open. */
    STALL_UPLOAD
  }

  private static final Pattern REQUEST_HEAD =
      Pattern.compile("(?:GET|POST|HEAD) [^\r\n]* HTTP/1\\.1\r\n.*?\r\n\r\n", Pattern.DOTALL);

  private final int targetPort;
  private final long cutAfter;
  private final Mode mode;
  private final ServerSocket listener;
  private final AtomicBoolean cut = new AtomicBoolean();
  private final CountDownLatch closed = new CountDownLatch(1);
  private final List<StringBuilder> sent = new ArrayList<>();
  private final List<Socket> sockets = new ArrayList<>();

  /** @param cutAfter response bytes (head included) the first download gets before the connection is closed */
  CuttingProxy(int targetPort, long cutAfter) throws IOException {
    this(targetPort, cutAfter, Mode.CUT_DOWNLOAD);
  }

  CuttingProxy(int targetPort, long cutAfter, Mode mode) throws IOException {
    this.targetPort = targetPort;
    this.cutAfter = cutAfter;
    this.mode = mode;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread accept = new Thread(this::accept, "cutting-proxy-accept");
    accept.setDaemon(true);
    accept.start();
  }

  String url() {
    return "http://127.0.0.1:" + listener.getLocalPort();
  }

  /** Whether the connection was cut yet. */
  boolean didCut() {
    return cut.get();
  }

  /** Every request head the proxy passed on, in order per connection. */
  synchronized List<String> requestHeads() {
    List<String> heads = new ArrayList<>();
    for (StringBuilder connection : sent) {
      Matcher m = REQUEST_HEAD.matcher(connection);
      while (m.find()) {
        heads.add(m.group());
      }
    }
    return heads;
  }

  /** The heads of the downloads ({@code GET /cgi-bin/media/get}). */
  List<String> downloadHeads() {
    return requestHeads().stream()
        .filter(h -> h.startsWith("GET /cgi-bin/media/get"))
        .toList();
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        StringBuilder log = new StringBuilder();
        synchronized (this) {
          sockets.add(client);
          sockets.add(server);
          sent.add(log);
        }
        Connection connection = new Connection(client, server, log);
        start(connection::clientToServer);
        start(connection::serverToClient);
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private static void start(Runnable pump) {
    Thread t = new Thread(pump, "cutting-proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  private final class Connection {
    final Socket client;
    final Socket server;
    final StringBuilder log;
    /** Set when this connection carries the download to cut; the response bytes count from then. */
    volatile boolean armed;

    Connection(Socket client, Socket server, StringBuilder log) {
      this.client = client;
      this.server = server;
      this.log = log;
    }

    void clientToServer() {
      byte[] buffer = new byte[16 * 1024];
      long forwarded = 0;
      boolean uploading = false;
      try (InputStream in = client.getInputStream();
          OutputStream out = server.getOutputStream()) {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          String text = new String(buffer, 0, n, StandardCharsets.ISO_8859_1);
          synchronized (CuttingProxy.this) {
            if (!uploading) {
              log.append(text); // heads only: an upload's body would just fill the log
            }
          }
          // Armed before the request goes on, so the whole answer to it is counted. A client sends
          // its next request on a kept-alive connection only after reading the previous answer.
          if (mode != Mode.STALL_UPLOAD
              && text.startsWith("GET /cgi-bin/media/get")
              && !cut.get()) {
            armed = true;
          }
          if (mode == Mode.STALL_UPLOAD
              && text.startsWith("POST /cgi-bin/media/upload")
              && !cut.get()) {
            uploading = true;
          }
          if (uploading) {
            forwarded += n;
            if (forwarded >= cutAfter) {
              cut.set(true);
              stallUntilClosed();
              return;
            }
          }
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (IOException e) {
        // either side closed
      } finally {
        closeBoth();
      }
    }

    void serverToClient() {
      byte[] buffer = new byte[16 * 1024];
      long forwarded = 0;
      try (InputStream in = server.getInputStream();
          OutputStream out = client.getOutputStream()) {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          if (armed) {
            int allowed = (int) Math.min(n, cutAfter - forwarded);
            out.write(buffer, 0, allowed);
            out.flush();
            forwarded += allowed;
            if (forwarded >= cutAfter) {
              cut.set(true);
              if (mode == Mode.STALL_DOWNLOAD) {
                stallUntilClosed();
              }
              return; // finally closes both: the client sees the body end early
            }
          } else {
            out.write(buffer, 0, n);
            out.flush();
          }
        }
      } catch (IOException e) {
        // either side closed
      } finally {
        closeBoth();
      }
    }

    /** Holds the connection open and silent, reading nothing, until the proxy closes. */
    void stallUntilClosed() {
      try {
        closed.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    void closeBoth() {
      try {
        client.close();
      } catch (IOException ignored) {
        // closing anyway
      }
      try {
        server.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }

  @Override
  public synchronized void close() throws IOException {
    closed.countDown();
    listener.close();
    for (Socket s : sockets) {
      s.close();
    }
  }
}
