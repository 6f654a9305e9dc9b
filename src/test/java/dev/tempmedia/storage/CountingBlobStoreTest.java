package dev.tempmedia.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tempmedia.storage.local.LocalBlobStore;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Usage from counts between walks. A second store over the same directory stands for another
 * instance sharing the storage: what it writes shows only once the counting store walks again.
 */
class CountingBlobStoreTest {
  static final String DOMAIN = "0123456789abcdef";
  static final long T0 = Instant.parse("2026-11-22T10:15:00Z").getEpochSecond();
  static final Duration RECONCILE = Duration.ofMinutes(5);

  @TempDir
  Path root;

  final AtomicLong now = new AtomicLong();

  static void put(BlobStore store, char id, int size) throws Exception {
    BlobKey key = new BlobKey(DOMAIN, T0, String.valueOf(id).repeat(32));
    BlobWriter w = store.create(key);
    w.write(ByteBuffer.wrap(new byte[size]));
    w.commit(new BlobMeta("image", "jpeg", "image/jpeg", "a.jpg", size, "ab".repeat(32), T0));
  }

  @Test
  void commitsAreCountedWithoutAWalkAndAWalkComesEveryFewMinutes() throws Exception {
    LocalBlobStore local = LocalBlobStore.open(root, false);
    LocalBlobStore otherInstance = LocalBlobStore.open(root, false);
    CountingBlobStore store = new CountingBlobStore(local, RECONCILE, now::get);
    assertThat(store.usage()).isEqualTo(new BlobStore.Usage(0, 0));

    put(store, 'a', 100);
    put(otherInstance, 'b', 100);
    BlobWriter aborted = store.create(new BlobKey(DOMAIN, T0, "c".repeat(32)));
    aborted.write(ByteBuffer.wrap(new byte[50]));
    aborted.abort();
    assertThat(store.usage()).as("counted, not walked").isEqualTo(new BlobStore.Usage(1, 100));

    now.addAndGet(RECONCILE.toNanos());
    BlobStore.Usage walked = store.usage();
    assertThat(walked.objects()).isEqualTo(2);
    assertThat(walked.bytes())
        .as("as stored, with the trailers")
        .isEqualTo(local.usage().bytes())
        .isGreaterThan(200);
  }

  @Test
  void anythingDeletedMakesTheNextAnswerAWalk() throws Exception {
    LocalBlobStore local = LocalBlobStore.open(root, false);
    CountingBlobStore store = new CountingBlobStore(local, RECONCILE, now::get);
    put(store, 'a', 100);
    put(store, 'b', 100);
    assertThat(store.usage().objects()).isEqualTo(2);

    assertThat(store.delete(new BlobKey(DOMAIN, T0, "a".repeat(32)))).isTrue();
    assertThat(store.usage().objects()).isEqualTo(1);
    assertThat(store.deletePartition(Partition.of(DOMAIN, T0))).isEqualTo(1);
    assertThat(store.usage()).isEqualTo(new BlobStore.Usage(0, 0));
  }
}
