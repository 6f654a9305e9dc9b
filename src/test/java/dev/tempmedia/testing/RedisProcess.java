package dev.tempmedia.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;

/**
 * A real redis-server on a free loopback port, which a test may stop and start again. Without
 * redis-server installed the test is skipped (failed on CI, see {@link Prerequisites}).
 */
public final class RedisProcess implements AutoCloseable {
  private final Path binary;
  private final int port;
  private Process process;

  public RedisProcess() throws IOException, InterruptedException {
    this.binary = requireRedisServer();
    try (ServerSocket s = new ServerSocket(0)) {
      this.port = s.getLocalPort();
    }
    start();
  }

  public int port() {
    return port;
  }

  public String uri(int database) {
    return "redis://127.0.0.1:" + port + "/" + database;
  }

  public synchronized void start() throws IOException, InterruptedException {
    process = new ProcessBuilder(
            binary.toString(),
            "--port",
            Integer.toString(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--databases",
            "4001",
            "--protected-mode",
            "no")
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    long deadline = System.currentTimeMillis() + 10_000;
    while (System.currentTimeMillis() < deadline) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException notYet) {
        Thread.sleep(20);
      }
    }
    process.destroy();
    throw new IOException(binary + " did not start on port " + port);
  }

  /** The redis-server program, Debian's first; skips the test (fails it on CI) when there is none. */
  static Path requireRedisServer() {
    return Prerequisites.require(
        "redis-server", "apt-get install redis-server", Path.of("/usr/bin/redis-server"));
  }

  public synchronized void stop() throws InterruptedException {
    if (process != null) {
      process.destroy();
      process.waitFor();
      process = null;
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }
}
