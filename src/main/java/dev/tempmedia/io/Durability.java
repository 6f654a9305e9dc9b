package dev.tempmedia.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** fsync of a directory, so that a rename into it survives a power cut (POSIX needs both). */
public final class Durability {
  private Durability() {}

  public static void fsyncDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // Some file systems refuse to open or sync a directory; the rename itself is still atomic.
      if (!String.valueOf(e.getMessage()).contains("Is a directory")) {
        throw e;
      }
    }
  }
}
