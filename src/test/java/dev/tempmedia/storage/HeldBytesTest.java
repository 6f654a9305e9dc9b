package dev.tempmedia.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tempmedia.media.ExpiryPolicy;
import dev.tempmedia.storage.s3.PartMemory;
import dev.tempmedia.storage.s3.S3BlobStore;
import dev.tempmedia.testing.ScaledBackends;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The bytes {@link CachingBlobStore} holds in memory for a store read over the network: S3 through
 * a real S3Proxy, behind the decorators as the server stacks them.
 */
class HeldBytesTest {
  static final String DOMAIN = "0123456789abcdef";
  static final long T0 = Instant.parse("2026-11-22T10:15:00Z").getEpochSecond();

  CachingBlobStore store;

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
  }

  CachingBlobStore open(long heldBytes) {
    S3BlobStore s3 = S3BlobStore.open(
        ScaledBackends.get().newBucket("held"),
        ExpiryPolicy.MEDIA.storeExpiryDays(),
        PartMemory.ofMegabytes(32));
    store = new CachingBlobStore(new CountingBlobStore(s3), heldBytes);
    return store;
  }

  static BlobKey key(int n) {
    return new BlobKey(DOMAIN, T0, String.format("%032x", n));
  }

  static byte[] random(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  void put(BlobKey key, byte[] bytes, String checksum) throws IOException {
    BlobWriter w = store.create(key);
    w.write(ByteBuffer.wrap(bytes));
    w.commit(new BlobMeta(
        "file", "unknown", "application/octet-stream", "a.bin", bytes.length, checksum, T0));
  }

  void put(BlobKey key, byte[] bytes) throws IOException {
    put(key, bytes, ContentChecksum.of(bytes));
  }

  static byte[] inMemory(Blob blob) {
    ByteBuffer held = blob.inMemory().orElseThrow();
    byte[] bytes = new byte[held.remaining()];
    held.get(bytes);
    return bytes;
  }

  static byte[] read(Blob blob, long offset, long length) throws IOException {
    try (InputStream in = blob.openRange(offset, length)) {
      return in.readAllBytes();
    }
  }

  @Test
  void aSmallObjectIsHeldWholeOnceOpenedAndKnownFromMemory() throws Exception {
    open(8 << 20);
    byte[] bytes = random(64 * 1024, 1);
    put(key(1), bytes);

    Blob opened = store.open(key(1)).orElseThrow();
    assertThat(inMemory(opened)).isEqualTo(bytes);
    assertThat(opened.inMemory().orElseThrow().isDirect())
        .as("outside the heap, written to the socket as it is")
        .isTrue();
    assertThat(opened.signedUrl()).as("served from memory, not relayed").isEmpty();
    assertThat(read(opened, 1000, 24)).isEqualTo(java.util.Arrays.copyOfRange(bytes, 1000, 1024));

    Blob known = store.known(key(1)).orElseThrow();
    assertThat(known).as("the same held copy, no I/O").isSameAs(opened);
    ByteBuffer first = known.inMemory().orElseThrow();
    first.position(100);
    assertThat(known.inMemory().orElseThrow().position())
        .as("each caller reads its own view of the bytes")
        .isZero();
    assertThat(store.heldBytes()).isEqualTo(bytes.length);
  }

  @Test
  void objectsUpToOneMibAreHeldLargerOnesRelayed() throws Exception {
    open(8 << 20);
    byte[] limit = random((int) CachingBlobStore.LARGEST_HELD, 2);
    byte[] over = random((int) CachingBlobStore.LARGEST_HELD + 1, 3);
    put(key(2), limit);
    put(key(3), over);

    assertThat(inMemory(store.open(key(2)).orElseThrow())).isEqualTo(limit);
    Blob large = store.open(key(3)).orElseThrow();
    assertThat(large.inMemory()).isEmpty();
    assertThat(large.signedUrl()).as("relayed from its presigned URL").isPresent();
    assertThat(store.known(key(3)).orElseThrow().inMemory()).isEmpty();
    assertThat(store.heldBytes()).isEqualTo(limit.length);
  }

  @Test
  void theBudgetBoundsTheHeldBytes() throws Exception {
    long budget = 3L << 20;
    open(budget);
    for (int i = 0; i < 12; i++) {
      put(key(100 + i), random(512 * 1024, i));
    }
    for (int i = 0; i < 12; i++) {
      Blob blob = store.open(key(100 + i)).orElseThrow();
      assertThat(read(blob, 0, 512 * 1024)).isEqualTo(random(512 * 1024, i));
    }
    assertThat(store.heldBytes()).isPositive().isLessThanOrEqualTo(budget);
  }

  @Test
  void noBudgetHoldsNothing() throws Exception {
    open(0);
    put(key(4), random(1000, 4));
    Blob blob = store.open(key(4)).orElseThrow();
    assertThat(blob.inMemory()).isEmpty();
    assertThat(blob.signedUrl()).isPresent();
    assertThat(store.heldBytes()).isZero();
  }

  @Test
  void bytesThatDoNotMatchTheirChecksumAreNeverHeld() throws Exception {
    open(8 << 20);
    byte[] bytes = random(4096, 5);
    put(key(5), bytes, "crc32c:00000000");
    Blob blob = store.open(key(5)).orElseThrow();
    assertThat(blob.inMemory()).as("not held as if whole").isEmpty();
    assertThat(blob.signedUrl()).as("served as it would be without a budget").isPresent();
    assertThat(store.heldBytes()).isZero();
  }

  @Test
  void anObjectStoredWithASha256IsCheckedByItAndHeld() throws Exception {
    open(8 << 20);
    byte[] bytes = random(4096, 6);
    String sha256 =
        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    put(key(6), bytes, sha256);
    assertThat(inMemory(store.open(key(6)).orElseThrow())).isEqualTo(bytes);
  }

  @Test
  void deletesDropHeldBytesAtOnce() throws Exception {
    open(8 << 20);
    put(key(7), random(2048, 7));
    put(key(8), random(2048, 8));
    store.open(key(7)).orElseThrow();
    store.open(key(8)).orElseThrow();
    assertThat(store.heldBytes()).isEqualTo(4096);

    store.delete(key(7));
    assertThat(store.known(key(7))).isEmpty();
    assertThat(store.open(key(7))).isEmpty();
    assertThat(store.heldBytes()).isEqualTo(2048);

    store.deletePartition(Partition.of(DOMAIN, T0));
    assertThat(store.known(key(8))).isEmpty();
    assertThat(store.open(key(8))).isEmpty();
    assertThat(store.heldBytes()).isZero();
  }
}
