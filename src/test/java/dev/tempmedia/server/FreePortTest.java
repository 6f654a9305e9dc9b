package dev.tempmedia.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The ports of one start are distinct, configured ones are kept, and all are free once let go. */
class FreePortTest {
  @Test
  void thePortsOfOneStartAreDistinctAndFreeOnceLetGo() throws Exception {
    Set<Integer> picked = new HashSet<>();
    try (FreePort free = new FreePort()) {
      for (int i = 0; i < 200; i++) {
        picked.add(free.on("127.0.0.1"));
      }
      assertThat(free.resolve(8123, "127.0.0.1"))
          .as("a configured port is kept")
          .isEqualTo(8123);
    }
    assertThat(picked).hasSize(200);
    for (int port : picked) {
      try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
        assertThat(socket.getLocalPort()).isEqualTo(port);
      }
    }
  }
}
