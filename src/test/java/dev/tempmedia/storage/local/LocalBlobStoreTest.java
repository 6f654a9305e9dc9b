package dev.tempmedia.storage.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tempmedia.media.ExpiryPolicy;
import dev.tempmedia.storage.Blob;
import dev.tempmedia.storage.BlobKey;
import dev.tempmedia.storage.BlobMeta;
import dev.tempmedia.storage.BlobWriter;
import dev.tempmedia.storage.OpenFile;
import dev.tempmedia.storage.Partition;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local disk's own layout and recovery; what every store does is in {@code BlobStoreContractTest}. */
class LocalBlobStoreTest {
  static final String DOMAIN = "0123456789abcdef";
  static final long T0 = Instant.parse("2026-11-22T10:15:00Z").getEpochSecond();

  @TempDir
  Path root;

  static BlobKey key(long createdAt, String objectId) {
    return new BlobKey(DOMAIN, createdAt, objectId);
  }

  static BlobMeta meta(long size, long createdAt) {
    return new BlobMeta("image", "jpeg", "image/jpeg", "a.jpg", size, "ab".repeat(32), createdAt);
  }

  static void put(LocalBlobStore store, BlobKey key, byte[] bytes) throws IOException {
    BlobWriter w = store.create(key);
    w.write(ByteBuffer.wrap(bytes));
    w.commit(meta(bytes.length, key.createdAt()));
  }

  /** The sweep of media created before {@code cutoff}, as the expiry policy runs it. */
  static long deleteCreatedBefore(LocalBlobStore store, long cutoff) throws IOException {
    ExpiryPolicy media = ExpiryPolicy.MEDIA;
    return media.sweep(store, cutoff + media.lifetimeSeconds());
  }

  static List<BlobKey> listAll(LocalBlobStore store) throws IOException {
    List<BlobKey> keys = new ArrayList<>();
    for (Partition p : store.partitions(DOMAIN)) {
      keys.addAll(store.list(p));
    }
    return keys;
  }

  @Test
  void committedObjectsReadBackWithTheirMetadataAndRanges() throws Exception {
    LocalBlobStore store = LocalBlobStore.open(root, true);
    byte[] bytes = "hello, temporary media".getBytes();
    BlobKey key = key(T0, "00112233445566778899aabbccddeeff");
    BlobWriter w = store.create(key);
    w.write(ByteBuffer.wrap(bytes, 0, 5));
    assertThat(store.open(key)).as("invisible until committed").isEmpty();
    w.write(ByteBuffer.wrap(bytes, 5, bytes.length - 5));
    w.commit(meta(bytes.length, T0));

    Blob blob = store.open(key).orElseThrow();
    assertThat(blob.meta()).isEqualTo(meta(bytes.length, T0));
    assertThat(root.resolve("0123456789abcdef/2026/11/22/10/00112233445566778899aabbccddeeff"))
        .exists();
    try (InputStream in = blob.openRange(7, 9)) {
      assertThat(new String(in.readAllBytes())).isEqualTo("temporary");
    }
    assertThat(Files.readAllBytes(blob.localFile().orElseThrow())).startsWith(bytes);
    assertThat(incoming()).isEmpty();
  }

  @Test
  void abortLeavesNothing() throws Exception {
    LocalBlobStore store = LocalBlobStore.open(root, true);
    BlobKey key = key(T0, "00112233445566778899aabbccddeeff");
    BlobWriter w = store.create(key);
    w.write(ByteBuffer.wrap(new byte[1000]));
    w.abort();
    w.abort();
    assertThat(store.open(key)).isEmpty();
    assertThat(incoming()).isEmpty();
  }

  @Test
  void leftoversOfAnEarlierRunAreRemovedAtOpen() throws Exception {
    LocalBlobStore.open(root, false);
    Files.write(root.resolve(".incoming/abc.part"), new byte[10]);
    LocalBlobStore.open(root, false);
    assertThat(incoming()).isEmpty();
  }

  @Test
  void aFileWithoutTrailerIsNotServed() throws Exception {
    LocalBlobStore store = LocalBlobStore.open(root, false);
    BlobKey key = key(T0, "00112233445566778899aabbccddeeff");
    Path file = root.resolve(key.path());
    Files.createDirectories(file.getParent());
    Files.write(file, "just bytes, no trailer".getBytes());
    assertThatThrownBy(() -> store.open(key))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("trailer");
  }

  @Test
  void sweepDropsWholeHoursThatEndedBeforeTheCutoff() throws Exception {
    LocalBlobStore store = LocalBlobStore.open(root, false);
    put(store, key(T0, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"), new byte[] {1});
    put(store, key(T0 + 60, "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"), new byte[] {2});
    put(store, key(T0 + 3600, "cccccccccccccccccccccccccccccccc"), new byte[] {3});
    long hourEnd = Instant.parse("2026-11-22T11:00:00Z").getEpochSecond();
    assertThat(deleteCreatedBefore(store, hourEnd - 1)).isZero();
    assertThat(deleteCreatedBefore(store, hourEnd)).isEqualTo(2);
    assertThat(listAll(store)).containsExactly(key(hourEnd, "cccccccccccccccccccccccccccccccc"));
    assertThat(root.resolve(DOMAIN + "/2026/11/22/10")).doesNotExist();
    assertThat(deleteCreatedBefore(store, hourEnd + 3600)).isEqualTo(1);
    assertThat(root.resolve(DOMAIN + "/2026")).doesNotExist();
    assertThat(root.resolve(DOMAIN)).exists();
  }

  @Test
  void deleteRemovesOneObject() throws Exception {
    LocalBlobStore store = LocalBlobStore.open(root, false);
    BlobKey key = key(T0, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    put(store, key, new byte[] {1, 2, 3});
    assertThat(store.delete(key)).isTrue();
    assertThat(store.delete(key)).isFalse();
    assertThat(store.open(key)).isEmpty();
  }

  @Test
  void keysAreBuiltFromHexOnly() {
    assertThatThrownBy(() -> new BlobKey("../etc", T0, "aaaaaaaaaaaaaaaa"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new BlobKey(DOMAIN, T0, "a/../../b"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anObjectStoredByAnEarlierVersionKeepsItsSha256AsItsChecksum() throws Exception {
    LocalBlobStore store = LocalBlobStore.open(root, false);
    BlobKey key = key(T0, "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
    byte[] bytes = {1, 2, 3};
    byte[] json = ("{\"type\":\"image\",\"format\":\"jpeg\",\"contentType\":\"image/jpeg\","
            + "\"filename\":\"a.jpg\",\"size\":3,\"sha256\":\"" + "cd".repeat(32) + "\","
            + "\"createdAt\":" + T0 + "}")
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Path file = root.resolve(key.path());
    Files.createDirectories(file.getParent());
    Files.write(
        file,
        ByteBuffer.allocate(bytes.length + json.length + 8)
            .put(bytes)
            .put(json)
            .putInt(json.length)
            .put("TMB1".getBytes())
            .array());

    BlobMeta meta = store.open(key).orElseThrow().meta();
    assertThat(meta.checksum()).isEqualTo("cd".repeat(32));
    assertThat(meta.etag()).isEqualTo("\"3-" + "cd".repeat(32) + "\"");
  }

  @Test
  void aPartitionSweptBetweenTwoUploadsIsMadeAgain() throws Exception {
    LocalBlobStore store = LocalBlobStore.open(root, false);
    put(store, key(T0, "cccccccccccccccccccccccccccccccc"), new byte[] {1});
    assertThat(deleteCreatedBefore(store, T0 + 3600)).isEqualTo(1);
    assertThat(root.resolve(DOMAIN)).exists();
    assertThat(root.resolve(DOMAIN + "/2026")).doesNotExist();

    BlobKey again = key(T0, "dddddddddddddddddddddddddddddddd");
    put(store, again, new byte[] {2, 3});
    assertThat(store.open(again).orElseThrow().meta().size()).isEqualTo(2);
    assertThat(incoming()).isEmpty();
  }

  @Test
  void objectsAreReadableByTheServersUserOnly() throws Exception {
    LocalBlobStore store = LocalBlobStore.open(root, false);
    BlobKey key = key(T0, "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee");
    put(store, key, new byte[] {1});
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
            Files.getPosixFilePermissions(root.resolve(key.path()))))
        .isEqualTo("rw-------");
  }

  @Test
  void downloadsOfAnObjectShareOneDescriptorWithItsMetadataRead() throws Exception {
    LocalBlobStore store = LocalBlobStore.open(root, false);
    BlobKey key = key(T0, "abababababababababababababababab");
    put(store, key, "shared bytes".getBytes());
    Blob blob = store.open(key).orElseThrow();
    try (OpenFile first = blob.openFile().orElseThrow();
        OpenFile second = store.open(key).orElseThrow().openFile().orElseThrow()) {
      assertThat(second.channel()).isSameAs(first.channel());
      assertThat(descriptorsUnderRoot()).hasSize(1);
    }
    assertThat(descriptorsUnderRoot()).as("held for the next download").hasSize(1);
    store.close();
    assertThat(descriptorsUnderRoot()).isEmpty();
  }

  @Test
  void aDeletedObjectIsNoLongerServedAndItsFileClosesWithItsLastDownload() throws Exception {
    LocalBlobStore store = LocalBlobStore.open(root, false);
    BlobKey key = key(T0, "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd");
    put(store, key, "going".getBytes());
    Blob blob = store.open(key).orElseThrow();
    OpenFile sending = blob.openFile().orElseThrow();
    assertThat(store.delete(key)).isTrue();
    assertThat(store.open(key)).isEmpty();
    assertThatThrownBy(blob::openFile)
        .as("a download after the delete, even of the blob opened before it")
        .isInstanceOf(java.nio.file.NoSuchFileException.class);
    ByteBuffer buf = ByteBuffer.allocate(5);
    sending.channel().read(buf, 0);
    assertThat(new String(buf.array()))
        .as("the download already sending ends whole")
        .isEqualTo("going");
    sending.close();
    assertThat(descriptorsUnderRoot())
        .as("the deleted file's space is given back")
        .isEmpty();
  }

  @Test
  void aSweptHourLeavesNoFileOpen() throws Exception {
    LocalBlobStore store = LocalBlobStore.open(root, false);
    for (String id :
        List.of("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa2")) {
      put(store, key(T0, id), new byte[] {7});
      store.open(key(T0, id)).orElseThrow().openFile().orElseThrow().close();
    }
    assertThat(descriptorsUnderRoot()).hasSize(2);
    assertThat(deleteCreatedBefore(store, T0 + 3600)).isEqualTo(2);
    assertThat(descriptorsUnderRoot()).isEmpty();
  }

  /** What this process has open under the store's root, read from {@code /proc/self/fd}. */
  private List<Path> descriptorsUnderRoot() throws IOException {
    List<Path> open = new ArrayList<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : fds.toList()) {
        try {
          Path target = Files.readSymbolicLink(fd);
          if (target.toString().startsWith(root.toRealPath().toString())) {
            open.add(target);
          }
        } catch (IOException closedMeanwhile) {
          // the listing's own descriptor, or one closed since
        }
      }
    }
    return open;
  }

  List<Path> incoming() throws IOException {
    try (Stream<Path> s = Files.list(root.resolve(".incoming"))) {
      return s.toList();
    }
  }
}
