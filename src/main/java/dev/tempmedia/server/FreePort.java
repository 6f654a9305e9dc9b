package dev.tempmedia.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Ports that were free a moment ago, for listening on "any free port" with several instances. The
 * ports one start picks are held open together until {@link #close}, so they are distinct: picked one
 * at a time, two listeners of one start could be given the same port, and Vert.x then shares one
 * socket between them (it shares servers by host and port) instead of failing, sending a listener's
 * connections to the other's handler — a TLS tunnel answered in plain HTTP.
 */
final class FreePort implements AutoCloseable {
  private final List<ServerSocket> held = new ArrayList<>();

  /** {@code configured}, or when it is 0 a free port on {@code host} that no other pick here has. */
  int resolve(int configured, String host) {
    return configured == 0 ? on(host) : configured;
  }

  /** A free port on {@code host}, distinct from every other this instance picked. */
  int on(String host) {
    try {
      ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host));
      held.add(socket);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on " + host, e);
    }
  }

  /** Lets the ports go, for the listeners to take. */
  @Override
  public void close() {
    for (ServerSocket socket : held) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // Closing a listening socket that accepted nothing: nothing to lose.
      }
    }
    held.clear();
  }
}
