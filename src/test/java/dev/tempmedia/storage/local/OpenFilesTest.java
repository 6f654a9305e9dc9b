package dev.tempmedia.storage.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tempmedia.storage.OpenFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The open-file cache on real files: sharing, reference counts, bounds and expiry. */
class OpenFilesTest {
  @TempDir
  Path dir;

  private Path file(String name, String text) throws Exception {
    return Files.writeString(dir.resolve(name), text);
  }

  private static String read(OpenFile open, long position, int length) throws Exception {
    ByteBuffer buf = ByteBuffer.allocate(length);
    open.channel().read(buf, position);
    return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
  }

  @Test
  void downloadsOfOneFileShareOneChannelAndReadAtTheirOwnPositions() throws Exception {
    Path file = file("a", "hello, temporary media");
    try (OpenFiles files = new OpenFiles();
        OpenFile first = files.lease(file);
        OpenFile second = files.lease(file)) {
      assertThat(second.channel()).isSameAs(first.channel());
      assertThat(read(first, 7, 9)).isEqualTo("temporary");
      assertThat(read(second, 0, 5)).isEqualTo("hello");
      assertThat(first.channel().position()).as("positional reads only").isZero();
      assertThat(files.held()).isEqualTo(1);
    }
  }

  @Test
  void aForgottenFileStaysOpenUntilItsLastLeaseIsGivenBack() throws Exception {
    Path file = file("a", "bytes");
    try (OpenFiles files = new OpenFiles()) {
      OpenFile sending = files.lease(file);
      OpenFile other = files.lease(file);
      FileChannel channel = sending.channel();
      files.forget(file);
      assertThat(files.held()).isZero();
      assertThat(channel.isOpen()).as("two downloads still send it").isTrue();
      sending.close();
      sending.close(); // a second close gives nothing back twice
      assertThat(channel.isOpen()).as("one download still sends it").isTrue();
      assertThat(read(other, 0, 5)).isEqualTo("bytes");
      other.close();
      assertThat(channel.isOpen()).isFalse();

      try (OpenFile again = files.lease(file)) {
        assertThat(again.channel()).isNotSameAs(channel);
        assertThat(read(again, 0, 5)).isEqualTo("bytes");
      }
    }
  }

  @Test
  void aMissingFileFailsItsCallerAndIsNotRemembered() throws Exception {
    Path file = dir.resolve("later");
    try (OpenFiles files = new OpenFiles()) {
      assertThatThrownBy(() -> files.lease(file)).isInstanceOf(NoSuchFileException.class);
      assertThat(files.held()).isZero();
      Files.writeString(file, "now");
      try (OpenFile open = files.lease(file)) {
        assertThat(read(open, 0, 3)).isEqualTo("now");
      }
    }
  }

  @Test
  void atMostTheBoundIsHeldOpenAndTheRestAreClosed() throws Exception {
    List<FileChannel> channels = new ArrayList<>();
    try (OpenFiles files = new OpenFiles(4, Duration.ofMinutes(1))) {
      for (int i = 0; i < 40; i++) {
        try (OpenFile open = files.lease(file("f" + i, "x" + i))) {
          channels.add(open.channel());
        }
      }
      assertThat(files.held()).isLessThanOrEqualTo(4);
      assertThat(channels.stream().filter(FileChannel::isOpen).count()).isLessThanOrEqualTo(4);
    }
    assertThat(channels).noneMatch(FileChannel::isOpen);
  }

  @Test
  void aFileIsOpenedAgainOnceItHasBeenHeldForItsTime() throws Exception {
    AtomicLong nanos = new AtomicLong();
    Path file = file("a", "old");
    try (OpenFiles files = new OpenFiles(10, Duration.ofMinutes(1), nanos::get)) {
      FileChannel first;
      try (OpenFile open = files.lease(file)) {
        first = open.channel();
      }
      nanos.addAndGet(TimeUnit.SECONDS.toNanos(59));
      try (OpenFile open = files.lease(file)) {
        assertThat(open.channel()).isSameAs(first);
      }
      nanos.addAndGet(TimeUnit.SECONDS.toNanos(2));
      // replaced behind the store's back, which a held descriptor would hide
      Files.delete(file);
      Files.writeString(file, "new");
      try (OpenFile open = files.lease(file)) {
        assertThat(open.channel()).isNotSameAs(first);
        assertThat(read(open, 0, 3)).isEqualTo("new");
      }
      assertThat(first.isOpen()).isFalse();
    }
  }

  @Test
  void aLeaseNeverHoldsAClosedChannelWhileOthersForgetTheFile() throws Exception {
    Path file = file("hot", "0123456789");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<FileChannel> seen = java.util.Collections.synchronizedList(new ArrayList<>());
    try (OpenFiles files = new OpenFiles()) {
      List<Future<?>> runs = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        runs.add(pool.submit(() -> {
          for (int i = 0; i < 5_000; i++) {
            try (OpenFile open = files.lease(file)) {
              seen.add(open.channel());
              assertThat(read(open, i % 10, 1)).isEqualTo(Integer.toString(i % 10));
            }
            if ((i + thread) % 7 == 0) {
              files.forget(file);
            }
          }
          return null;
        }));
      }
      for (Future<?> run : runs) {
        run.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(seen.stream().distinct().count())
        .as("forgotten and opened again")
        .isGreaterThan(1);
    assertThat(seen).as("every channel closed with the cache").noneMatch(FileChannel::isOpen);
  }
}
