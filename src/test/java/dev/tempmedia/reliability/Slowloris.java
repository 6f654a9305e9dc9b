package dev.tempmedia.reliability;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Holds {@code target} connections that start a request and then send its head one byte at a time,
 * every {@code intervalMillis}; a connection the server closes is replaced at once, as a real attack
 * would. One thread and a selector, so hundreds of connections cost no threads. Records how long each
 * connection lived before the server closed it.
 */
final class Slowloris implements AutoCloseable {
  private static final byte[] START =
      "GET / HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] TRICKLE = "X-a: b\r\n".getBytes(StandardCharsets.US_ASCII);

  private final InetSocketAddress server;
  private final int target;
  private final long intervalMillis;
  private final Selector selector;
  private final Thread thread;
  private final List<Long> lifetimesMillis = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicInteger peak = new AtomicInteger();
  private final AtomicInteger opened = new AtomicInteger();
  private volatile boolean stopping;
  private volatile Throwable failure;

  /** One held connection: when it opened and how far into the trickle it is. */
  private static final class Held {
    final long openedNanos = System.nanoTime();
    int next;
  }

  Slowloris(int port, int target, long intervalMillis) throws IOException {
    this.server = new InetSocketAddress("127.0.0.1", port);
    this.target = target;
    this.intervalMillis = intervalMillis;
    this.selector = Selector.open();
    this.thread = new Thread(this::run, "slowloris");
    thread.setDaemon(true);
    thread.start();
  }

  int open() {
    return open.get();
  }

  int peak() {
    return peak.get();
  }

  int opened() {
    return opened.get();
  }

  List<Long> lifetimesMillis() {
    synchronized (lifetimesMillis) {
      return List.copyOf(lifetimesMillis);
    }
  }

  private void run() {
    long nextTrickle = System.nanoTime();
    ByteBuffer sink = ByteBuffer.allocate(4096);
    try {
      while (!stopping) {
        while (open.get() < target && !stopping) {
          connect();
        }
        selector.select(20);
        for (SelectionKey key : selector.selectedKeys()) {
          readOrNoticeClose(key, sink);
        }
        selector.selectedKeys().clear();
        if (System.nanoTime() >= nextTrickle) {
          for (SelectionKey key : selector.keys()) {
            trickle(key);
          }
          nextTrickle = System.nanoTime() + intervalMillis * 1_000_000;
        }
      }
    } catch (Throwable t) {
      failure = t;
    }
  }

  private void connect() throws IOException {
    SocketChannel channel = SocketChannel.open(server);
    channel.configureBlocking(false);
    channel.write(ByteBuffer.wrap(START));
    channel.register(selector, SelectionKey.OP_READ, new Held());
    opened.incrementAndGet();
    peak.accumulateAndGet(open.incrementAndGet(), Math::max);
  }

  /** Whatever the server sends is read and dropped; the end of the stream means it closed the connection. */
  private void readOrNoticeClose(SelectionKey key, ByteBuffer sink) {
    if (!key.isValid()) {
      return;
    }
    try {
      sink.clear();
      if (((SocketChannel) key.channel()).read(sink) < 0) {
        closedByServer(key);
      }
    } catch (IOException e) {
      closedByServer(key);
    }
  }

  private void trickle(SelectionKey key) {
    if (!key.isValid()) {
      return;
    }
    Held held = (Held) key.attachment();
    try {
      ((SocketChannel) key.channel()).write(ByteBuffer.wrap(TRICKLE, held.next, 1));
      held.next = (held.next + 1) % TRICKLE.length;
    } catch (IOException e) {
      closedByServer(key);
    }
  }

  private void closedByServer(SelectionKey key) {
    Held held = (Held) key.attachment();
    lifetimesMillis.add((System.nanoTime() - held.openedNanos) / 1_000_000);
    open.decrementAndGet();
    key.cancel();
    try {
      key.channel().close();
    } catch (IOException ignored) {
      // Closed already.
    }
  }

  @Override
  public void close() throws Exception {
    stopping = true;
    selector.wakeup();
    thread.join(10_000);
    for (SelectionKey key : selector.keys()) {
      key.channel().close();
    }
    selector.close();
    if (failure != null) {
      throw new AssertionError("the slow clients failed", failure);
    }
  }
}
