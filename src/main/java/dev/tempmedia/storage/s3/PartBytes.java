package dev.tempmedia.storage.s3;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The bytes of one part of an S3 upload (or of a whole object that fits in one) while the upload
 * gathers them: fixed chunks of {@value #CHUNK_BYTES} in direct memory from Netty's pooled
 * allocator, sent to the store as they are by one gathering write.
 *
 * <p>Why not one growing {@code byte[]}, as before: an array grows by copying itself (a 1 MiB upload
 * allocated 64 KiB, 256 KiB, 1 MiB and 4 MiB of heap, each zeroed, and copied 1.3 MiB between
 * them), and the socket then copied the heap bytes once more into a direct buffer to write them
 * (docs/benchmarks.md, S3 mode). Chunks never move, come from the pool without being zeroed, and
 * are what the socket writes.
 *
 * <p>Every chunk counts against the server's {@link PartMemory} from its allocation to the part's
 * release; {@link #sending} marks the part as handed to a PUT, whose end gives the memory back.
 *
 * <p>{@link #release} may come from another thread than the appends (an abort while a commit is
 * sending), hence the lock, never contended otherwise; every body handed out holds a reference of
 * its own, so the chunks stay until the last of those is released too (the budget counts them
 * free from the part's release: a little early, only for a body an abort left on the wire).
 */
final class PartBytes {
  static final int CHUNK_BYTES = 64 * 1024;

  private final ByteBufAllocator allocator;
  private final PartMemory memory;
  private final List<ByteBuf> chunks = new ArrayList<>();
  private int size;
  private boolean sending;
  private boolean released;

  PartBytes(ByteBufAllocator allocator, PartMemory memory) {
    this.allocator = allocator;
    this.memory = memory;
  }

  /**
   * Copies every remaining byte of {@code bytes} in; the buffer's position moves past them.
   *
   * @throws IOException when no direct memory is left for a new chunk: the upload fails, and the
   *     server goes on (what else holds direct memory, sockets' buffers included, is outside the
   *     budget of {@link PartMemory})
   */
  synchronized void append(ByteBuffer bytes) throws IOException {
    if (released) {
      throw new IllegalStateException("the part was released");
    }
    while (bytes.hasRemaining()) {
      ByteBuf last = chunks.isEmpty() ? null : chunks.get(chunks.size() - 1);
      if (last == null || !last.isWritable()) {
        try {
          last = allocator.directBuffer(CHUNK_BYTES, CHUNK_BYTES);
        } catch (OutOfMemoryError noDirectMemory) {
          // The JDK's direct-memory cap (-XX:MaxDirectMemorySize) refused the chunk: an allocation
          // that failed, not a broken JVM, so it fails this upload alone.
          throw new IOException(
              "no direct memory left for the upload's bytes: " + noDirectMemory.getMessage(),
              noDirectMemory);
        }
        chunks.add(last);
        memory.take(CHUNK_BYTES);
      }
      int n = Math.min(bytes.remaining(), last.writableBytes());
      last.writeBytes(bytes.slice(bytes.position(), n));
      bytes.position(bytes.position() + n);
      size += n;
    }
  }

  synchronized int size() {
    return size;
  }

  /**
   * Every byte appended, as one buffer that holds its own reference to the chunks: the caller
   * releases it. Appending after this call is not allowed (the body would not see it).
   */
  synchronized ByteBuf retainedBody() throws IOException {
    if (released) {
      throw new IOException("the upload was aborted while its bytes were being sent");
    }
    if (chunks.size() == 1) {
      return chunks.get(0).retainedDuplicate();
    }
    ByteBuf[] views = new ByteBuf[chunks.size()];
    for (int i = 0; i < views.length; i++) {
      views[i] = chunks.get(i).retainedDuplicate();
    }
    // As many components as chunks: the default cap (16) would copy them into one buffer.
    return Unpooled.wrappedBuffer(Math.max(1, views.length), views);
  }

  /** The part goes to a PUT ({@code writer}'s): from now its memory is on its way back. */
  void sending(Object writer) {
    long bytes;
    synchronized (this) {
      if (released || sending) {
        return;
      }
      sending = true;
      bytes = (long) chunks.size() * CHUNK_BYTES;
    }
    memory.sending(writer, bytes);
  }

  /** Gives the chunks back to the pool and their bytes to the budget; again is a no-op. */
  void release() {
    long bytes;
    boolean wasSending;
    synchronized (this) {
      if (released) {
        return;
      }
      released = true;
      bytes = (long) chunks.size() * CHUNK_BYTES;
      wasSending = sending;
      chunks.forEach(ByteBuf::release);
      chunks.clear();
    }
    // Outside the lock: the budget may resume waiting writers from here.
    memory.release(bytes, wasSending);
  }
}
