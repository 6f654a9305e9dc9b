package dev.tempmedia.storage.local;

import dev.tempmedia.storage.Blob;
import dev.tempmedia.storage.BlobMeta;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/** A local object: the bytes are the first {@code meta.size()} bytes of its file. */
record LocalBlob(Path file, BlobMeta meta) implements Blob {

  static LocalBlob read(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      return new LocalBlob(file, Trailer.read(channel));
    }
  }

  @Override
  public Optional<Path> localFile() {
    return Optional.of(file);
  }

  @Override
  public InputStream openRange(long offset, long length) throws IOException {
    if (offset < 0 || length < 0 || offset + length > meta.size()) {
      throw new IllegalArgumentException("range outside the object");
    }
    FileChannel channel = FileChannel.open(file, StandardOpenOption.READ).position(offset);
    InputStream in = Channels.newInputStream(channel);
    return new BoundedInputStream(in, length);
  }
}
