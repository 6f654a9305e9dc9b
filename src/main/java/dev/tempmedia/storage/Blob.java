package dev.tempmedia.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;

/** A stored object found by {@link BlobStore#open}: its metadata and the ways to read its bytes. */
public interface Blob {
  BlobMeta meta();

  /** The file holding the bytes at offset 0, when the store is a local disk (for zero-copy sendfile). */
  Optional<Path> localFile();

  /**
   * The file holding the bytes at offset 0, open for reading, when the store is a local disk: for
   * sendfile without opening the file again on every download. The caller closes the lease when
   * its response is done. Quick (a cache hit, or one {@code open} of a local file), so it may be
   * called on an event loop as {@link #localFile} is used there.
   */
  default Optional<OpenFile> openFile() throws IOException {
    return Optional.empty();
  }

  /** A stream of {@code length} bytes from {@code offset}. */
  InputStream openRange(long offset, long length) throws IOException;

  /**
   * A URL that any HTTP client may GET the bytes from for a while (a Range header picks a slice),
   * when the store has one: an S3 object's presigned URL. Lets a download be relayed without a
   * blocking thread; empty where the bytes are read otherwise. Called on an event loop: it must
   * not block (a store signs when it opens the object, on a worker).
   */
  default Optional<java.net.URI> signedUrl() {
    return Optional.empty();
  }

  /**
   * The whole object in memory (position 0 to limit, not to be changed), when a cache holds it:
   * a small object of a remote store, downloaded lately ({@link CachingBlobStore}). Empty where the
   * bytes are read otherwise. Called on an event loop; never blocks.
   */
  default Optional<java.nio.ByteBuffer> inMemory() {
    return Optional.empty();
  }
}
