package dev.tempmedia.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.tempmedia.media.ExpiryPolicy;
import dev.tempmedia.storage.local.LocalBlobStore;
import dev.tempmedia.storage.s3.PartMemory;
import dev.tempmedia.storage.s3.S3BlobStore;
import dev.tempmedia.testing.ScaledBackends;
import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The {@link BlobStore} contract, one suite run against every implementation (as fake-gcs-server's
 * {@code testForStorageBackends}): the local disk in a temporary directory, S3 through a real S3Proxy
 * in this process, and each of them as the server serves it, behind {@link CachingBlobStore} and
 * {@link CountingBlobStore} (as {@code TempmediaServer} composes them), so that the decorators are
 * held to the same contract (a deleted object is gone, at once).
 */
class BlobStoreContractTest {
  static final String DOMAIN = "0123456789abcdef";
  static final String OTHER_DOMAIN = "fedcba9876543210";
  static final long T0 = Instant.parse("2026-11-22T10:15:00Z").getEpochSecond();
  static final long HOUR_10 = Instant.parse("2026-11-22T10:00:00Z").getEpochSecond();

  enum Backend {
    LOCAL,
    S3,
    LOCAL_AS_SERVED,
    S3_AS_SERVED;

    BlobStore open(Path dir) {
      return switch (this) {
        case LOCAL -> LocalBlobStore.open(dir, true);
        case S3 ->
          S3BlobStore.open(
              ScaledBackends.get().newBucket("contract"),
              ExpiryPolicy.MEDIA.storeExpiryDays(),
              PartMemory.ofMegabytes(32));
        case LOCAL_AS_SERVED -> new CachingBlobStore(new CountingBlobStore(LOCAL.open(dir)));
        case S3_AS_SERVED -> new CachingBlobStore(new CountingBlobStore(S3.open(dir)));
      };
    }

    boolean local() {
      return this == LOCAL || this == LOCAL_AS_SERVED;
    }
  }

  /** A test of the contract, run once per backend. */
  @Target(ElementType.METHOD)
  @Retention(RetentionPolicy.RUNTIME)
  @ParameterizedTest(name = "{0}")
  @EnumSource(Backend.class)
  @interface ForEachBackend {}

  @TempDir
  Path dir;

  BlobStore store;

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  BlobStore open(Backend backend) {
    store = backend.open(dir);
    return store;
  }

  static BlobKey key(String domain, long createdAt, String objectId) {
    return new BlobKey(domain, createdAt, objectId);
  }

  static BlobKey key(long createdAt, char c) {
    return key(DOMAIN, createdAt, String.valueOf(c).repeat(32));
  }

  static BlobMeta meta(long size, long createdAt) {
    return new BlobMeta("image", "jpeg", "image/jpeg", "a.jpg", size, "ab".repeat(32), createdAt);
  }

  void put(BlobKey key, byte[] bytes) throws IOException {
    put(key, bytes, meta(bytes.length, key.createdAt()));
  }

  void put(BlobKey key, byte[] bytes, BlobMeta meta) throws IOException {
    BlobWriter w = store.create(key);
    w.write(ByteBuffer.wrap(bytes));
    w.commit(meta);
  }

  static byte[] read(Blob blob, long offset, long length) throws IOException {
    try (InputStream in = blob.openRange(offset, length)) {
      return in.readAllBytes();
    }
  }

  // ---- objects ----------------------------------------------------------------------------------

  @ForEachBackend
  void aCommittedObjectReadsBackWithItsMetadataAndRanges(Backend backend) throws Exception {
    open(backend);
    byte[] bytes = "hello, temporary media".getBytes();
    BlobKey key = key(T0, 'a');
    BlobWriter w = store.create(key);
    w.write(ByteBuffer.wrap(bytes, 0, 5));
    assertThat(store.open(key)).as("invisible until committed").isEmpty();
    w.write(ByteBuffer.wrap(bytes, 5, bytes.length - 5));
    w.commit(meta(bytes.length, T0));

    Blob blob = store.open(key).orElseThrow();
    assertThat(blob.meta()).isEqualTo(meta(bytes.length, T0));
    assertThat(new String(read(blob, 7, 9))).isEqualTo("temporary");
    assertThat(read(blob, 0, bytes.length)).isEqualTo(bytes);
    assertThat(read(blob, bytes.length - 1, 1)).isEqualTo("a".getBytes());
    assertThat(blob.localFile().isPresent())
        .as("a file to sendfile from, on local disk only")
        .isEqualTo(backend.local());
    if (backend.local()) {
      assertThat(Files.readAllBytes(blob.localFile().orElseThrow())).startsWith(bytes);
    }
  }

  @ForEachBackend
  void anObjectLargerThanOnePartReadsBackAcrossItsParts(Backend backend) throws Exception {
    open(backend);
    byte[] bytes = new byte[6 * 1024 * 1024 + 123]; // more than S3BlobWriter's 5 MiB part
    new Random(7).nextBytes(bytes);
    BlobKey key = key(T0, 'b');
    BlobWriter w = store.create(key);
    for (int i = 0; i < bytes.length; i += 64 * 1024) {
      w.write(ByteBuffer.wrap(bytes, i, Math.min(64 * 1024, bytes.length - i)));
    }
    assertThat(store.open(key)).as("invisible until committed").isEmpty();
    w.commit(meta(bytes.length, T0));

    Blob blob = store.open(key).orElseThrow();
    assertThat(blob.meta().size()).isEqualTo(bytes.length);
    int boundary = 5 * 1024 * 1024;
    assertThat(read(blob, boundary - 10, 20))
        .isEqualTo(Arrays.copyOfRange(bytes, boundary - 10, boundary + 10));
    assertThat(read(blob, 0, bytes.length)).isEqualTo(bytes);
  }

  @ForEachBackend
  void aSignedUrlServesTheObjectsRangesToAnyHttpClient(Backend backend) throws Exception {
    open(backend);
    byte[] bytes = "hello, temporary media".getBytes();
    BlobKey key = key(T0, 'c');
    put(key, bytes);

    Blob blob = store.open(key).orElseThrow();
    if (backend.local()) {
      assertThat(blob.signedUrl())
          .as("local files are sent by sendfile instead")
          .isEmpty();
      return;
    }
    URI url = blob.signedUrl().orElseThrow();
    assertThat(blob.signedUrl())
        .as("signed once, when the object was opened (on a worker), not when a download is sent")
        .hasValue(url);
    HttpResponse<byte[]> slice = HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(url).header("Range", "bytes=7-15").build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(slice.statusCode()).isEqualTo(206);
    assertThat(new String(slice.body())).isEqualTo("temporary");
    HttpResponse<byte[]> other = HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(
                    URI.create(url.toString().replace(key.objectId(), "d".repeat(32))))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(other.statusCode()).as("the signature covers this object only").isEqualTo(403);
  }

  @ForEachBackend
  void anObjectIsKnownWithoutIoOnlyOnceOpenedAndNoLongerOnceDeleted(Backend backend)
      throws Exception {
    open(backend);
    byte[] bytes = "hello, temporary media".getBytes();
    BlobKey key = key(T0, 'e');
    put(key, bytes);
    assertThat(store.known(key)).as("never opened: not known, though present").isEmpty();

    Blob opened = store.open(key).orElseThrow();
    boolean cached = backend == Backend.LOCAL_AS_SERVED || backend == Backend.S3_AS_SERVED;
    assertThat(store.known(key).isPresent()).as("known from the cache only").isEqualTo(cached);
    if (cached) {
      Blob known = store.known(key).orElseThrow();
      assertThat(known.meta()).isEqualTo(opened.meta());
      assertThat(read(known, 7, 9)).isEqualTo("temporary".getBytes());
    }

    store.delete(key);
    assertThat(store.known(key)).as("a deleted object is not known").isEmpty();
    assertThat(store.known(key(T0, 'f'))).isEmpty();
  }

  @ForEachBackend
  void anAbortedWriterLeavesNothing(Backend backend) throws Exception {
    open(backend);
    BlobKey small = key(T0, 'a');
    BlobWriter w = store.create(small);
    w.write(ByteBuffer.wrap(new byte[1000]));
    w.abort();
    w.abort();
    BlobKey large = key(T0, 'b');
    BlobWriter big = store.create(large);
    big.write(ByteBuffer.wrap(new byte[6 * 1024 * 1024]));
    big.abort();

    assertThat(store.open(small)).isEmpty();
    assertThat(store.open(large)).isEmpty();
    assertThat(store.partitions()).isEmpty();
    assertThat(store.usage()).isEqualTo(new BlobStore.Usage(0, 0));
    if (backend.local()) {
      try (var incoming = Files.list(dir.resolve(".incoming"))) {
        assertThat(incoming).isEmpty();
      }
    }
  }

  @ForEachBackend
  void metadataRoundTripsEveryField(Backend backend) throws Exception {
    open(backend);
    BlobMeta unicode =
        new BlobMeta("voice", "amr", "audio/amr", "语音 留言 %20+&.amr", 3, "0f".repeat(32), T0 + 1);
    BlobMeta unnamed =
        new BlobMeta("file", "unknown", "application/octet-stream", "", 2, "e1".repeat(32), T0 + 2);
    put(key(T0, 'a'), new byte[] {1, 2, 3}, unicode);
    put(key(T0, 'b'), new byte[] {4, 5}, unnamed);

    assertThat(store.open(key(T0, 'a')).orElseThrow().meta()).isEqualTo(unicode);
    assertThat(store.open(key(T0, 'b')).orElseThrow().meta()).isEqualTo(unnamed);
  }

  @ForEachBackend
  void absentObjectsAreEmptyNotErrors(Backend backend) throws Exception {
    open(backend);
    BlobKey never = key(T0, 'c');
    Partition nothing = Partition.of(DOMAIN, T0);
    assertThat(store.open(never)).isEmpty();
    assertThat(store.delete(never)).isFalse();
    assertThat(store.list(nothing)).isEmpty();
    assertThat(store.deletePartition(nothing)).isZero();
    assertThat(store.partitions(DOMAIN)).isEmpty();
    assertThat(store.partitions()).isEmpty();
    assertThat(store.usage()).isEqualTo(new BlobStore.Usage(0, 0));
  }

  @ForEachBackend
  void deleteRemovesOneObjectAtOnce(Backend backend) throws Exception {
    open(backend);
    BlobKey key = key(T0, 'a');
    BlobKey neighbour = key(T0, 'b');
    put(key, new byte[] {1, 2, 3});
    put(neighbour, new byte[] {4});
    assertThat(store.open(key)).isPresent(); // read once, so a cache holds it
    assertThat(store.delete(key)).isTrue();
    assertThat(store.open(key)).isEmpty();
    assertThat(store.delete(key)).isFalse();
    assertThat(store.list(key.partition()))
        .containsExactly(neighbour.partition().key(neighbour.objectId()));
    assertThat(store.open(neighbour)).isPresent();
  }

  // ---- partitions -------------------------------------------------------------------------------

  @ForEachBackend
  void partitionsAreListedPerDomainOldestFirst(Backend backend) throws Exception {
    open(backend);
    put(key(T0 + 3600, 'c'), new byte[] {3});
    put(key(T0, 'a'), new byte[] {1});
    put(key(T0 + 60, 'b'), new byte[] {2});
    put(key(T0 + 86_400 * 40, 'd'), new byte[] {4}); // another month
    put(key(OTHER_DOMAIN, T0, "e".repeat(32)), new byte[] {5});

    List<Partition> mine = List.of(
        new Partition(DOMAIN, HOUR_10),
        new Partition(DOMAIN, HOUR_10 + 3600),
        new Partition(DOMAIN, HOUR_10 + 86_400 * 40));
    assertThat(store.partitions(DOMAIN)).containsExactlyElementsOf(mine);
    assertThat(store.partitions(OTHER_DOMAIN))
        .containsExactly(new Partition(OTHER_DOMAIN, HOUR_10));
    assertThat(store.partitions())
        .containsExactlyInAnyOrder(
            mine.get(0), mine.get(1), mine.get(2), new Partition(OTHER_DOMAIN, HOUR_10));
    assertThat(store.partitions("0000000000000000")).isEmpty();

    Partition first = mine.get(0);
    assertThat(store.list(first))
        .containsExactlyInAnyOrder(first.key("a".repeat(32)), first.key("b".repeat(32)));
    assertThat(store.list(first))
        .allSatisfy(k ->
            assertThat(k.path()).isEqualTo(key(T0, k.objectId().charAt(0)).path()));
  }

  @ForEachBackend
  void deletingAPartitionRemovesItsObjectsAndNothingElse(Backend backend) throws Exception {
    open(backend);
    put(key(T0, 'a'), new byte[] {1});
    put(key(T0 + 60, 'b'), new byte[] {2});
    put(key(T0 + 3600, 'c'), new byte[] {3});
    put(key(OTHER_DOMAIN, T0, "e".repeat(32)), new byte[] {5});
    assertThat(store.open(key(T0, 'a'))).isPresent(); // read once, so a cache holds it

    assertThat(store.deletePartition(new Partition(DOMAIN, HOUR_10))).isEqualTo(2);
    assertThat(store.open(key(T0, 'a'))).isEmpty();
    assertThat(store.open(key(T0 + 60, 'b'))).isEmpty();
    assertThat(store.open(key(T0 + 3600, 'c'))).isPresent();
    assertThat(store.open(key(OTHER_DOMAIN, T0, "e".repeat(32)))).isPresent();
    assertThat(store.partitions())
        .containsExactlyInAnyOrder(
            new Partition(DOMAIN, HOUR_10 + 3600), new Partition(OTHER_DOMAIN, HOUR_10));
    assertThat(store.deletePartition(new Partition(DOMAIN, HOUR_10))).isZero();
  }

  @ForEachBackend
  void theSweepDropsWholeHoursOnceTheirLastPossibleMediaExpired(Backend backend) throws Exception {
    open(backend);
    ExpiryPolicy policy = ExpiryPolicy.MEDIA;
    put(key(T0, 'a'), new byte[] {1});
    put(key(T0 + 60, 'b'), new byte[] {2});
    put(key(T0 + 3600, 'c'), new byte[] {3});
    long hourEnd = HOUR_10 + 3600;
    long lifetime = policy.lifetimeSeconds();
    assertThat(store.open(key(T0, 'a'))).isPresent(); // read once, so a cache holds it

    assertThat(policy.sweep(store, hourEnd + lifetime - 1))
        .as("the hour ended less than a lifetime ago")
        .isZero();
    assertThat(policy.sweep(store, hourEnd + lifetime)).isEqualTo(2);
    assertThat(store.open(key(T0, 'a'))).isEmpty();
    assertThat(store.partitions()).containsExactly(new Partition(DOMAIN, hourEnd));
    assertThat(store.list(new Partition(DOMAIN, hourEnd))).containsExactly(key(hourEnd, 'c'));
    assertThat(policy.sweep(store, hourEnd + lifetime)).isZero();
    assertThat(policy.sweep(store, hourEnd + 3600 + lifetime)).isEqualTo(1);
    assertThat(store.partitions()).isEmpty();
  }

  // ---- usage and health -------------------------------------------------------------------------

  @ForEachBackend
  void usageCountsEveryStoredObject(Backend backend) throws Exception {
    open(backend);
    put(key(T0, 'a'), new byte[100]);
    put(key(T0 + 3600, 'b'), new byte[250]);
    put(key(OTHER_DOMAIN, T0, "e".repeat(32)), new byte[50]);
    store.create(key(T0, 'c')).write(ByteBuffer.wrap(new byte[1000])); // never committed

    BlobStore.Usage usage = store.usage();
    assertThat(usage.objects()).isEqualTo(3);
    // As stored: the local disk adds a metadata trailer of a few hundred bytes to each object.
    assertThat(usage.bytes()).isBetween(400L, backend.local() ? 400L + 3 * 1024 : 400L);

    store.deletePartition(new Partition(DOMAIN, HOUR_10));
    assertThat(store.usage().objects()).isEqualTo(2);
  }

  @ForEachBackend
  void aHealthyStorePassesItsCheck(Backend backend) {
    open(backend);
    assertThatCode(store::check).doesNotThrowAnyException();
  }
}
