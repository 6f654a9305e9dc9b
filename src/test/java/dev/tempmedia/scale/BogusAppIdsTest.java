package dev.tempmedia.scale;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tempmedia.state.redis.RedisStateStore;
import dev.tempmedia.testing.ScaledBackends;
import dev.tempmedia.testing.TestServer;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every /cgi-bin/token call with an appid that is not a fixed app asks the state store, which caches
 * the answer, "no such app" included. Any client can make up ids: 200,000 distinct ones sent to a
 * Redis-mode server must leave the apps cache within its bound and the heap where it was.
 */
class BogusAppIdsTest {
  private static final int WARM_UP = 20_000;
  private static final int BOGUS = 200_000;
  private static final int CONNECTIONS = 4;
  private static final int PIPELINE = 100;
  /** Far less than 200,000 cached entries take (about 120 bytes each before the cache was bounded). */
  private static final long MAX_HEAP_GROWTH = 8L * 1024 * 1024;

  @TempDir
  Path data;

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void twoHundredThousandMadeUpAppIdsDoNotGrowTheHeap() throws Exception {
    try (TestServer server = new TestServer(data, ScaledBackends.get().newServerFlags())) {
      RedisStateStore state = (RedisStateStore) server.server().state();
      int port = server.server().port();

      assertThat(send(port, 0, WARM_UP)).isEqualTo(WARM_UP);
      long before = heapUsedAfterGc();
      long started = System.nanoTime();
      assertThat(send(port, WARM_UP, BOGUS)).as("answered 40013").isEqualTo(BOGUS);
      long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
      long after = heapUsedAfterGc();
      long cached = state.cachedAppIds();
      System.out.printf(
          "%d made-up appids in %d s; heap used after GC %d KiB before, %d KiB after (%+d KiB);"
              + " app ids cached %d (bound %d)%n",
          BOGUS,
          seconds,
          before / 1024,
          after / 1024,
          (after - before) / 1024,
          cached,
          RedisStateStore.MAX_CACHED_APPS);

      assertThat(cached).isLessThanOrEqualTo(RedisStateStore.MAX_CACHED_APPS);
      assertThat(after - before)
          .as("heap growth over %d made-up appids", BOGUS)
          .isLessThan(MAX_HEAP_GROWTH);
      assertThat(TestServer.json(server.get("/cgi-bin/token?grant_type=client_credential&appid="
                  + TestServer.OA + "&secret=" + TestServer.OA_SECRET))
              .has("access_token"))
          .as("still serving")
          .isTrue();
    }
  }

  /** Sends {@code count} token calls with distinct appids from {@code first} on; returns how many answered 40013. */
  private static int send(int port, int first, int count) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(CONNECTIONS);
    AtomicInteger refused = new AtomicInteger();
    try {
      List<Future<?>> connections = new ArrayList<>();
      for (int c = 0; c < CONNECTIONS; c++) {
        int from = first + c * (count / CONNECTIONS);
        int to = c == CONNECTIONS - 1 ? first + count : from + count / CONNECTIONS;
        connections.add(pool.submit(() -> {
          pipelined(port, from, to, refused);
          return null;
        }));
      }
      for (Future<?> f : connections) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    return refused.get();
  }

  /** One keep-alive connection: requests go out {@link #PIPELINE} at a time, then their answers are read. */
  private static void pipelined(int port, int from, int to, AtomicInteger refused)
      throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      InputStream in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
      for (int start = from; start < to; start += PIPELINE) {
        int end = Math.min(to, start + PIPELINE);
        StringBuilder requests = new StringBuilder();
        for (int i = start; i < end; i++) {
          requests
              .append("GET /cgi-bin/token?grant_type=client_credential&secret=s&appid=")
              .append(String.format("wxbogus%011d", i))
              .append(" HTTP/1.1\r\nHost: t\r\n\r\n");
        }
        out.write(requests.toString().getBytes(StandardCharsets.US_ASCII));
        out.flush();
        for (int i = start; i < end; i++) {
          if (readBody(in).contains("\"errcode\":40013")) {
            refused.incrementAndGet();
          }
        }
      }
    }
  }

  private static String readBody(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed mid-answer");
      }
      head.append((char) b);
    }
    int length = 0;
    for (String line : head.toString().split("\r\n")) {
      if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    return new String(in.readNBytes(length), StandardCharsets.UTF_8);
  }

  private static long heapUsedAfterGc() throws InterruptedException {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return memory.getHeapMemoryUsage().getUsed();
  }
}
