package dev.tempmedia.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The server as its own OS process ({@code dev.tempmedia.cli.Main serve}) on the test JVM's class path,
 * so a test can kill it the way a machine or the OOM killer does, and start it again on the same data
 * directory and port. Its output goes to a log file next to the data, kept for the failure message.
 */
public final class ServerProcess implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  private final Path data;
  private final int port;
  private final Map<String, String> env;
  private final Path log;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private Process process;
  private long lastStartMillis;

  private ServerProcess(Path data, int port, Map<String, String> env) {
    this.data = data;
    this.port = port;
    this.env = env;
    this.log = data.resolveSibling(data.getFileName() + "-server.log");
  }

  /** Starts a server on a free port over {@code data}, with extra {@code TEMPMEDIA_*} variables; returns once it is healthy. */
  public static ServerProcess start(Path data, Map<String, String> env) {
    ServerProcess server = new ServerProcess(data, freePort(), env);
    server.launch();
    return server;
  }

  /** Starts again after a kill or a stop: same data directory, same port. */
  public void restart() {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException("the server is still running");
    }
    launch();
  }

  /**
   * Kills the process without warning (SIGKILL on Linux: no shutdown hook, no flush, no close) and
   * answers its exit status once it is gone; 137 (128 + 9) means it really was SIGKILL.
   */
  public int kill() {
    process.destroyForcibly();
    try {
      return process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public int port() {
    return port;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  public Path dataDir() {
    return data;
  }

  /** How long the last start took, from launch to a healthy answer. */
  public long lastStartMillis() {
    return lastStartMillis;
  }

  /** The server's output so far, for failure messages. */
  public String logTail(int maxChars) {
    try {
      String all = Files.exists(log) ? Files.readString(log) : "";
      return all.length() <= maxChars ? all : all.substring(all.length() - maxChars);
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  @Override
  public void close() {
    if (process == null || !process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void launch() {
    long begin = System.nanoTime();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // C1 only: a server killed every second or two never earns back C2's compile time, and on a
    // small shared machine the start-up CPU is what a restart waits for.
    ProcessBuilder builder = new ProcessBuilder(List.of(
            java,
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-cp",
            System.getProperty("java.class.path"),
            "dev.tempmedia.cli.Main",
            "serve",
            "--port",
            Integer.toString(port),
            "--data",
            data.toString()))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().keySet().removeIf(name -> name.startsWith("TEMPMEDIA_"));
    builder.environment().putAll(env);
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the server process", e);
    }
    awaitHealthy();
    lastStartMillis = (System.nanoTime() - begin) / 1_000_000;
  }

  private void awaitHealthy() {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    HttpRequest health = HttpRequest.newBuilder(URI.create(baseUrl() + "/_tempmedia/health"))
        .timeout(Duration.ofSeconds(2))
        .GET()
        .build();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the server exited with " + process.exitValue() + " while starting:\n" + logTail(4000));
      }
      try {
        if (http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notListeningYet) {
        // keep polling
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    process.destroyForcibly();
    throw new IllegalStateException(
        "the server did not become healthy within " + START_TIMEOUT + ":\n" + logTail(4000));
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port", e);
    }
  }
}
