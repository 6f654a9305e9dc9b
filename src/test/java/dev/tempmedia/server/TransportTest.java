package dev.tempmedia.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

class TransportTest {

  /** The epoll library ships in the jar for linux-x86_64; without it the server falls back to the slower JDK selector. */
  @Test
  @EnabledOnOs(
      value = OS.LINUX,
      architectures = {"amd64", "x86_64"})
  void linuxUsesTheNativeEpollTransport() {
    Vertx vertx = TempmediaServer.newVertx();
    try {
      assertThat(vertx.isNativeTransportEnabled())
          .as("native transport (unavailable because: %s)", vertx.unavailableNativeTransportCause())
          .isTrue();
    } finally {
      vertx.close();
    }
  }
}
