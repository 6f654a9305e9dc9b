package dev.tempmedia.storage.local;

import dev.tempmedia.io.Durability;
import dev.tempmedia.storage.BlobMeta;
import dev.tempmedia.storage.BlobWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes an object to a temporary file, then publishes it: trailer, fsync, rename into its partition,
 * fsync of the directories that changed. Writes go straight to the file on the caller's thread, as
 * nginx writes request bodies to its temp files: the page cache absorbs them, and only the commit
 * (which waits for the disk) runs off the event loop.
 */
final class LocalBlobWriter implements BlobWriter {
  private static final Set<StandardOpenOption> CREATE_NEW_FOR_WRITING =
      Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
  /** Media is readable by the server's user only, as a temporary file's would be (where POSIX). */
  private static final FileAttribute<?>[] OWNER_ONLY =
      FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
          ? new FileAttribute<?>[] {
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
          }
          : new FileAttribute<?>[0];

  private final Path temp;
  private final Path target;
  private final boolean fsync;
  private final FileChannel channel;
  private boolean done;

  LocalBlobWriter(Path temp, Path target, boolean fsync) throws IOException {
    this.temp = temp;
    this.target = target;
    this.fsync = fsync;
    this.channel = FileChannel.open(temp, CREATE_NEW_FOR_WRITING, OWNER_ONLY);
  }

  @Override
  public void write(ByteBuffer bytes) throws IOException {
    while (bytes.hasRemaining()) {
      channel.write(bytes);
    }
  }

  @Override
  public synchronized void commit(BlobMeta meta) throws IOException {
    if (done) {
      throw new IllegalStateException("writer already finished");
    }
    try {
      write(Trailer.encode(meta));
      if (fsync) {
        channel.force(true);
      }
      channel.close();
      Path partition = target.getParent();
      Path firstCreated = publish();
      if (fsync) {
        Durability.fsyncDirectory(partition);
        Durability.fsyncDirectory(temp.getParent());
        // A new directory is an entry in its parent: each parent up to the first one created must
        // reach the disk.
        for (Path dir = partition; firstCreated != null; dir = dir.getParent()) {
          Durability.fsyncDirectory(dir.getParent());
          if (dir.equals(firstCreated)) {
            break;
          }
        }
      }
      done = true;
    } catch (IOException | RuntimeException e) {
      abort();
      throw e;
    }
  }

  /**
   * Renames the file into its partition, creating the partition only when the rename finds it
   * missing: once per hour and domain, where a check before every rename cost a stat, a failed mkdir
   * and the exception it throws (docs/benchmarks.md, uploads). Returns the highest directory
   * created, or null.
   *
   * <p>The sweep removes only hours whose last possible media has expired, never the hour an
   * upload is being written into, so the partition made here is not taken away before the second
   * rename. (Moving the emulator's clock days ahead during an upload can do it; that upload then
   * fails as a store error, and its media would have been expired anyway.)
   */
  private Path publish() throws IOException {
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      return null;
    } catch (NoSuchFileException partitionMissing) {
      if (!Files.exists(temp)) {
        throw partitionMissing;
      }
      Path firstCreated = createDirectories(target.getParent());
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      return firstCreated;
    }
  }

  /** Creates the partition's missing directories; returns the highest one created, or null. */
  private static Path createDirectories(Path dir) throws IOException {
    Path highestMissing = null;
    for (Path p = dir; p != null && !Files.isDirectory(p); p = p.getParent()) {
      highestMissing = p;
    }
    Files.createDirectories(dir);
    return highestMissing;
  }

  @Override
  public synchronized void abort() {
    done = true;
    try {
      channel.close();
    } catch (IOException ignored) {
      // The file is being thrown away.
    }
    try {
      Files.deleteIfExists(temp);
    } catch (IOException ignored) {
      // Left for the start-up sweep of .incoming.
    }
  }
}
