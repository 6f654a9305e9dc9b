package dev.tempmedia.reliability;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real, small file system (a size-capped tmpfs) mounted for a test, so that running out of space is
 * the kernel's genuine ENOSPC and not a simulation; and a filler file that takes what space is left.
 */
final class SmallFilesystem implements AutoCloseable {
  private final Path mountPoint;
  private final Path filler;

  private SmallFilesystem(Path mountPoint) {
    this.mountPoint = mountPoint;
    this.filler = mountPoint.resolve("filler");
  }

  /** Mounts a tmpfs of {@code megabytes}; answers why not (not root, no mount permission) as the exception. */
  static SmallFilesystem mount(int megabytes) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("tempmedia-small-fs-");
    String failure =
        run("mount", "-t", "tmpfs", "-o", "size=" + megabytes + "m", "tmpfs", dir.toString());
    if (failure != null) {
      Files.deleteIfExists(dir);
      throw new IOException("cannot mount a " + megabytes + " MB tmpfs at " + dir + ": " + failure);
    }
    return new SmallFilesystem(dir);
  }

  Path root() {
    return mountPoint;
  }

  long freeBytes() throws IOException {
    return Files.getFileStore(mountPoint).getUsableSpace();
  }

  /** Writes the filler until the kernel says the disk is full, then gives back {@code leaveFree} bytes. */
  void fillLeaving(long leaveFree) throws IOException {
    ByteBuffer block = ByteBuffer.allocate(64 * 1024);
    try (FileChannel out = FileChannel.open(
        filler, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      try {
        while (true) {
          block.clear();
          while (block.hasRemaining()) {
            out.write(block);
          }
        }
      } catch (IOException full) {
        if (!String.valueOf(full.getMessage()).contains("No space left on device")) {
          throw full;
        }
      }
      if (leaveFree > 0) {
        out.truncate(Math.max(0, out.size() - leaveFree));
      }
    }
  }

  void removeFiller() throws IOException {
    Files.deleteIfExists(filler);
  }

  /** Deletes everything on the file system, leaving it mounted. */
  void clear() throws IOException {
    try (Stream<Path> walk = Files.walk(mountPoint)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        if (!p.equals(mountPoint)) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  @Override
  public void close() throws IOException, InterruptedException {
    String failure = run("umount", mountPoint.toString());
    if (failure != null) {
      throw new IOException("cannot unmount " + mountPoint + ": " + failure);
    }
    Files.deleteIfExists(mountPoint);
  }

  /** Runs a command; answers null on success, or what went wrong. */
  private static String run(String... command) throws InterruptedException {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return String.join(" ", command) + " did not finish in 30 s";
      }
      return p.exitValue() == 0
          ? null
          : String.join(" ", command) + " exited with " + p.exitValue() + ": " + output;
    } catch (IOException e) {
      return String.join(" ", command) + " could not run: " + e.getMessage();
    }
  }
}
