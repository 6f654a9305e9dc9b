package dev.tempmedia.state.local;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that appends to the state journal, with group commit: changes are queued, and the
 * writer takes everything queued, decides each change against the newest state in order, writes all
 * their lines at once, forces the file once (when fsync is on), and only then makes the changes
 * visible and completes every waiter. Many concurrent token issues thus share one fsync, and a change
 * is still acknowledged only once its line is durable. No caller ever waits on the disk itself.
 */
final class JournalWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JournalWriter.class);
  /** At most this many changes share one write and one fsync. */
  static final int MAX_BATCH = 1024;

  /**
   * One change to the state. {@link #stage} runs on the writer thread, in queue order, against the
   * newest state (earlier changes of the same batch included) and records its effect there; it returns
   * the entry to append and what to make visible once the entry is durable.
   */
  interface Change<T> {
    Staged<T> stage();
  }

  /** A change decided: its journal entry (null when nothing needs writing), its publication and its answer. */
  record Staged<T>(ObjectNode entry, Runnable publish, T result) {
    static <T> Staged<T> nothing(T result) {
      return new Staged<>(null, () -> {}, result);
    }
  }

  private record Pending<T>(Change<T> change, CompletableFuture<T> done) {}

  private static final Pending<Void> STOP = new Pending<>(null, null);

  private final FileChannel journal;
  private final boolean fsync;
  private final Runnable rollback;
  private final BlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  private volatile boolean closed;

  /**
   * @param rollback run on the writer thread when a batch could not be written: forgets what the
   *                 batch's changes staged, going back to what is visible (which is what is durable)
   */
  JournalWriter(FileChannel journal, boolean fsync, Runnable rollback) {
    this.journal = journal;
    this.fsync = fsync;
    this.rollback = rollback;
    this.thread = new Thread(this::run, "tempmedia-journal");
    thread.setDaemon(true);
    thread.start();
  }

  /** Queues a change; the stage completes once its entry is durable, or fails with why it is not. */
  <T> CompletionStage<T> submit(Change<T> change) {
    CompletableFuture<T> done = new CompletableFuture<>();
    if (closed) {
      done.completeExceptionally(
          new UncheckedIOException(new IOException("the state journal is closed")));
      return done;
    }
    queue.add(new Pending<>(change, done));
    return done;
  }

  boolean isOpen() {
    return !closed && journal.isOpen();
  }

  /** Writes what is queued, then stops the writer and closes the file. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    queue.add(STOP);
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      journal.close();
    } catch (IOException e) {
      LOG.warn("closing the state journal failed: {}", e.getMessage());
    }
  }

  private void run() {
    List<Pending<?>> batch = new ArrayList<>();
    boolean stopping = false;
    while (!stopping) {
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        break;
      }
      queue.drainTo(batch, MAX_BATCH - 1);
      stopping = batch.remove(STOP);
      commit(batch);
      batch.clear();
    }
    // Whatever arrived after the stop (a race with close) is refused, not left waiting.
    for (Pending<?> p; (p = queue.poll()) != null; ) {
      if (p != STOP) {
        p.done()
            .completeExceptionally(
                new UncheckedIOException(new IOException("the state journal is closed")));
      }
    }
  }

  private void commit(List<Pending<?>> batch) {
    if (batch.isEmpty()) {
      return;
    }
    List<Staged<?>> staged = new ArrayList<>(batch.size());
    List<Pending<?>> accepted = new ArrayList<>(batch.size());
    ByteArrayOutputStream lines = new ByteArrayOutputStream();
    for (Pending<?> p : batch) {
      Staged<?> s;
      try {
        s = p.change().stage();
      } catch (RuntimeException e) {
        p.done().completeExceptionally(e); // a change that refuses itself fails alone
        continue;
      }
      if (s.entry() != null) {
        lines.writeBytes((s.entry().toString() + "\n").getBytes(StandardCharsets.UTF_8));
      }
      staged.add(s);
      accepted.add(p);
    }
    if (lines.size() > 0) {
      try {
        append(ByteBuffer.wrap(lines.toByteArray()));
      } catch (UncheckedIOException e) {
        rollback.run();
        accepted.forEach(p -> p.done().completeExceptionally(e));
        return;
      }
    }
    for (int i = 0; i < accepted.size(); i++) {
      staged.get(i).publish().run();
    }
    for (int i = 0; i < accepted.size(); i++) {
      complete(accepted.get(i), staged.get(i));
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> void complete(Pending<T> pending, Staged<?> staged) {
    pending.done().complete((T) staged.result());
  }

  /** Writes the batch's lines and forces them; a failed write changes nothing on disk. */
  private void append(ByteBuffer buf) {
    long end;
    try {
      end = journal.size();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the state journal: " + e.getMessage(), e);
    }
    try {
      while (buf.hasRemaining()) {
        journal.write(buf);
      }
      if (fsync) {
        journal.force(false);
      }
    } catch (IOException e) {
      cutBackTo(end, e);
      throw new UncheckedIOException("cannot write the state journal: " + e.getMessage(), e);
    }
  }

  /**
   * A write can fail part-way (a full disk takes the first bytes of a line, then refuses the rest). The
   * torn bytes must go: the next entry would be glued onto them, and replay would drop that entry as a
   * crash's torn last line (losing a token already handed out) or, with more entries after it, refuse
   * to start. If even the cut fails, the journal is closed, so later writes and the health check fail
   * instead of writing after the torn line.
   */
  private void cutBackTo(long end, IOException cause) {
    try {
      journal.truncate(end);
    } catch (IOException e) {
      cause.addSuppressed(e);
      LOG.error(
          "cannot cut the state journal back to its last whole entry; closing it: {}",
          e.getMessage());
      try {
        journal.close();
      } catch (IOException ignored) {
        // Already unusable.
      }
    }
  }
}
