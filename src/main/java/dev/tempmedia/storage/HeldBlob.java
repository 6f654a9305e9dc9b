package dev.tempmedia.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Optional;

/**
 * An object whose whole bytes {@link CachingBlobStore} holds in memory: a small object of a store
 * read over the network (S3), downloaded lately. The bytes sit outside the heap, so that a download
 * writes them to the socket without copying them into a direct buffer first, and the garbage
 * collector never moves or scans them.
 */
final class HeldBlob implements Blob {
  private final BlobMeta meta;
  private final ByteBuffer bytes;

  private HeldBlob(BlobMeta meta, ByteBuffer bytes) {
    this.meta = meta;
    this.bytes = bytes;
  }

  /**
   * Reads {@code blob} whole and keeps it, or empty when what was read is not the object its
   * metadata describes (short, or another checksum): such an object is left to be served as it is,
   * never held as if it were whole. Blocking: it reads the store.
   */
  static Optional<HeldBlob> read(Blob blob) throws IOException {
    BlobMeta meta = blob.meta();
    byte[] read = new byte[Math.toIntExact(meta.size())];
    if (read.length > 0) {
      try (InputStream in = blob.openRange(0, read.length)) {
        if (in.readNBytes(read, 0, read.length) != read.length || in.read() != -1) {
          return Optional.empty();
        }
      }
    }
    if (!ContentChecksum.matches(meta.checksum(), read)) {
      return Optional.empty();
    }
    ByteBuffer direct = ByteBuffer.allocateDirect(read.length).put(read).flip();
    return Optional.of(new HeldBlob(meta, direct));
  }

  /** The memory it takes, for the cache's budget: the bytes and about what the objects around them take. */
  int weight() {
    return bytes.capacity() + 512;
  }

  @Override
  public BlobMeta meta() {
    return meta;
  }

  @Override
  public Optional<Path> localFile() {
    return Optional.empty();
  }

  @Override
  public Optional<ByteBuffer> inMemory() {
    return Optional.of(bytes.duplicate());
  }

  @Override
  public InputStream openRange(long offset, long length) {
    if (offset < 0 || length <= 0 || offset + length > meta.size()) {
      throw new IllegalArgumentException("range outside the object");
    }
    ByteBuffer slice = bytes.slice(Math.toIntExact(offset), Math.toIntExact(length));
    return new InputStream() {
      @Override
      public int read() {
        return slice.hasRemaining() ? slice.get() & 0xff : -1;
      }

      @Override
      public int read(byte[] into, int off, int len) {
        if (len == 0) {
          return 0;
        }
        if (!slice.hasRemaining()) {
          return -1;
        }
        int n = Math.min(len, slice.remaining());
        slice.get(into, off, n);
        return n;
      }
    };
  }
}
