package dev.tempmedia.storage.local;

import dev.tempmedia.storage.Blob;
import dev.tempmedia.storage.BlobMeta;
import dev.tempmedia.storage.OpenFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * A local object: the bytes are the first {@code meta.size()} bytes of its file, which downloads
 * borrow from the store's {@link OpenFiles}.
 */
record LocalBlob(Path file, BlobMeta meta, OpenFiles openFiles) implements Blob {

  /** Reads the trailer through the open-file cache, so the download that follows opens nothing. */
  static LocalBlob read(Path file, OpenFiles openFiles) throws IOException {
    try (OpenFile open = openFiles.lease(file)) {
      return new LocalBlob(file, Trailer.read(open.channel()), openFiles);
    }
  }

  @Override
  public Optional<Path> localFile() {
    return Optional.of(file);
  }

  @Override
  public Optional<OpenFile> openFile() throws IOException {
    return Optional.of(openFiles.lease(file));
  }

  /** A channel of its own: a stream moves its position, which a shared channel must not. */
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
