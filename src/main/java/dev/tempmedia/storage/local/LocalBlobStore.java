package dev.tempmedia.storage.local;

import dev.tempmedia.io.Durability;
import dev.tempmedia.storage.Blob;
import dev.tempmedia.storage.BlobKey;
import dev.tempmedia.storage.BlobStore;
import dev.tempmedia.storage.BlobWriter;
import dev.tempmedia.storage.Partition;
import dev.tempmedia.storage.PartitionWalk;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Media on the local disk: one file per object, bytes first and the metadata in a trailer
 * ({@link Trailer}), so that a single atomic rename publishes both and downloads can sendfile from
 * offset 0. Objects are written under {@code .incoming/} and renamed into their hour partition,
 * {@code domain/yyyy/MM/dd/HH/objectId}; whatever is left in {@code .incoming/} after a crash was
 * never acknowledged and is removed at start. Metadata is cached above the store, by
 * {@link dev.tempmedia.storage.CachingBlobStore}; open files are cached here, by {@link OpenFiles},
 * since only the store knows when a file is deleted.
 */
public final class LocalBlobStore implements BlobStore {
  private static final Logger LOG = LoggerFactory.getLogger(LocalBlobStore.class);
  static final String INCOMING = ".incoming";

  private final Path root;
  private final Path incoming;
  private final boolean fsync;
  private final OpenFiles openFiles = new OpenFiles();

  private LocalBlobStore(Path root, boolean fsync) {
    this.root = root;
    this.incoming = root.resolve(INCOMING);
    this.fsync = fsync;
  }

  /** Opens the store under {@code root}, creating it, and removes unacknowledged leftovers. */
  public static LocalBlobStore open(Path root, boolean fsync) {
    LocalBlobStore store = new LocalBlobStore(root, fsync);
    try {
      Files.createDirectories(store.incoming);
      int removed = store.clearIncoming();
      if (removed > 0) {
        LOG.info("removed {} unfinished upload(s) left by an earlier run", removed);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot open media storage at " + root + ": " + e.getMessage(), e);
    }
    return store;
  }

  @Override
  public BlobWriter create(BlobKey key) throws IOException {
    // The object id is already unique (random bits); the writer creates the file exclusively, so
    // one open both makes and opens it.
    Path temp = incoming.resolve(key.objectId() + ".part");
    return new LocalBlobWriter(temp, root.resolve(key.path()), fsync);
  }

  @Override
  public Optional<Blob> open(BlobKey key) throws IOException {
    try {
      return Optional.of(LocalBlob.read(root.resolve(key.path()), openFiles));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /** A metadata read from the page cache: cheaper than the hop to a worker thread. */
  @Override
  public boolean opensQuickly() {
    return true;
  }

  @Override
  public boolean delete(BlobKey key) throws IOException {
    Path file = root.resolve(key.path());
    try {
      return Files.deleteIfExists(file);
    } finally {
      // after: a lease racing the delete either opened the file first (dropped here) or finds it
      // gone
      openFiles.forget(file);
    }
  }

  @Override
  public List<Partition> partitions() throws IOException {
    return PartitionWalk.walk(this::directories, null);
  }

  @Override
  public List<Partition> partitions(String domainTag) throws IOException {
    return PartitionWalk.walk(this::directories, domainTag);
  }

  @Override
  public List<BlobKey> list(Partition partition) throws IOException {
    List<BlobKey> keys = new ArrayList<>();
    for (Path object : files(root.resolve(partition.path()))) {
      keys.add(partition.key(object.getFileName().toString()));
    }
    return keys;
  }

  @Override
  public long deletePartition(Partition partition) throws IOException {
    Path hour = root.resolve(partition.path());
    if (!Files.isDirectory(hour)) {
      return 0;
    }
    try {
      long removed = deleteTree(hour);
      deleteEmptyParents(hour.getParent());
      return removed;
    } finally {
      openFiles.forgetUnder(hour);
    }
  }

  @Override
  public Usage usage() throws IOException {
    long objects = 0;
    long bytes = 0;
    for (Partition partition : partitions()) {
      for (Path object : files(root.resolve(partition.path()))) {
        try {
          bytes += Files.size(object);
          objects++;
        } catch (NoSuchFileException swept) {
          // The sweep removed this hour while it was being counted.
        }
      }
    }
    return new Usage(objects, bytes);
  }

  @Override
  public void check() throws IOException {
    Path probe = Files.createTempFile(incoming, "health-", ".probe");
    Files.delete(probe);
  }

  @Override
  public void close() {
    openFiles.close();
  }

  /** The sub-directory names of {@code path} under the root, sorted; none when it is gone. */
  private List<String> directories(String path) throws IOException {
    Path dir = path.isEmpty() ? root : root.resolve(path);
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isDirectory)
          .map(p -> p.getFileName().toString())
          .sorted()
          .toList();
    } catch (NoSuchFileException | NotDirectoryException gone) {
      return List.of(); // swept meanwhile, or never there
    }
  }

  /** The objects of one hour directory; none when it is gone. */
  private static List<Path> files(Path hour) throws IOException {
    try (Stream<Path> s = Files.list(hour)) {
      return s.filter(Files::isRegularFile).sorted().toList();
    } catch (NoSuchFileException | NotDirectoryException gone) {
      return List.of();
    }
  }

  private static long deleteTree(Path dir) throws IOException {
    long files;
    try (Stream<Path> walk = Files.walk(dir)) {
      List<Path> all = walk.sorted(Comparator.reverseOrder()).toList();
      files = all.stream().filter(Files::isRegularFile).count();
      for (Path p : all) {
        Files.deleteIfExists(p);
      }
    }
    return files;
  }

  /** Drops the day, month and year directories a sweep left empty (never the domain's own). */
  private void deleteEmptyParents(Path day) {
    Path dir = day;
    for (int level = 0; level < 3; level++) {
      try {
        Files.delete(dir);
      } catch (IOException notEmptyOrGone) {
        return;
      }
      dir = dir.getParent();
    }
  }

  private int clearIncoming() throws IOException {
    int removed = 0;
    try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(incoming)) {
      for (Path p : leftovers) {
        Files.deleteIfExists(p);
        removed++;
      }
    }
    if (removed > 0 && fsync) {
      Durability.fsyncDirectory(incoming);
    }
    return removed;
  }
}
