package dev.tempmedia.storage.s3;

import dev.tempmedia.storage.BlobMeta;
import dev.tempmedia.storage.BlobWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.MetadataDirective;

/**
 * Streams an upload into S3 without holding the file: bytes gather into one part at a time
 * ({@link PartBytes}, in direct memory); a full part is sent by the I/O pool while the next one
 * fills. A file that fits in one part is one PUT with its metadata. A larger one is a multipart upload whose metadata (size and digest, known only at the
 * end) is set by a copy onto itself once complete: until then the object has no {@code tm-checksum}
 * and counts as absent, so nothing is visible before the commit returns. Parts of all uploads share
 * one budget ({@link PartMemory}): past it, the writer is backlogged and its client's reading waits.
 * The bytes go by presigned
 * PUTs ({@link PresignedPut}); the calls without a body (create, complete, copy, abort) by the SDK's
 * client.
 */
final class S3BlobWriter implements BlobWriter {
  static final int PART_BYTES = 5 * 1024 * 1024;

  private final S3Client s3;
  /** Sends the bytes by presigned PUTs; the SDK's client sends the calls without a body. */
  private final PresignedPut puts;

  private final String bucket;
  private final String objectKey;
  private final Executor io;
  private final ByteBufAllocator allocator;
  private final PartMemory memory;
  /** The part filling; null once the writer is done. Volatile for an abort from another thread. */
  private volatile PartBytes part;

  private int partsSent;
  private String uploadId;
  private final List<CompletedPart> completed = new ArrayList<>();
  /** The chain of part uploads: each starts when the one before it is done. */
  private CompletableFuture<Void> sending = CompletableFuture.completedFuture(null);

  private volatile boolean done;
  private volatile boolean committed;

  S3BlobWriter(
      S3Client s3,
      PresignedPut puts,
      String bucket,
      String objectKey,
      Executor io,
      PartMemory memory) {
    this.s3 = s3;
    this.puts = puts;
    this.bucket = bucket;
    this.objectKey = objectKey;
    this.io = io;
    // The allocator the store's connections write with: a part's chunks go to the socket as they
    // are.
    this.allocator = ByteBufAllocator.DEFAULT;
    this.memory = memory;
    this.part = new PartBytes(allocator, memory);
  }

  @Override
  public void write(ByteBuffer bytes) throws IOException {
    failIfSendingFailed();
    while (bytes.hasRemaining()) {
      PartBytes filling = part;
      if (filling == null) {
        throw new IOException("S3 upload of " + objectKey + " was aborted");
      }
      int n = Math.min(bytes.remaining(), PART_BYTES - filling.size());
      try {
        filling.append(bytes.slice(bytes.position(), n));
      } catch (IllegalStateException released) {
        throw new IOException("S3 upload of " + objectKey + " was aborted", released);
      }
      bytes.position(bytes.position() + n);
      if (filling.size() == PART_BYTES) {
        sendPart(false);
      }
    }
  }

  /**
   * More than one part waits on the network, or the parts of all uploads hold the whole budget: the
   * caller should stop reading until drained.
   */
  @Override
  public boolean backlogged() {
    return !sending.isDone() || memory.mustWait(this);
  }

  @Override
  public void whenDrained(Runnable action) {
    sending.whenComplete((v, e) -> memory.whenRoom(this, action));
  }

  @Override
  public synchronized void commit(BlobMeta meta) throws IOException {
    if (done) {
      throw new IllegalStateException("writer already finished");
    }
    try {
      if (partsSent == 0) {
        part.sending(this);
        ByteBuf body = part.retainedBody();
        try {
          puts.send(
              PresignedPut.object(bucket, objectKey, meta.contentType(), S3Metadata.encode(meta)),
              objectKey,
              body);
        } finally {
          body.release();
        }
      } else {
        if (part.size() > 0) {
          sendPart(true);
        }
        sending.join();
        List<CompletedPart> parts;
        synchronized (completed) {
          parts = List.copyOf(completed);
        }
        s3.completeMultipartUpload(b -> b.bucket(bucket)
            .key(objectKey)
            .uploadId(uploadId)
            .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()));
        s3.copyObject(b -> b.sourceBucket(bucket)
            .sourceKey(objectKey)
            .destinationBucket(bucket)
            .destinationKey(objectKey)
            .metadataDirective(MetadataDirective.REPLACE)
            .contentType(meta.contentType())
            .metadata(S3Metadata.encode(meta)));
      }
      done = true;
      committed = true;
      releasePart();
      memory.leave(this);
    } catch (SdkException | CompletionException e) {
      abort();
      throw new IOException("S3 upload of " + objectKey + " failed: " + rootMessage(e), e);
    } catch (IOException e) {
      abort();
      throw e;
    }
  }

  @Override
  public void abort() {
    if (committed) {
      return;
    }
    done = true;
    releasePart();
    memory.leave(this);
    String id = uploadId;
    if (id != null) {
      sending.whenCompleteAsync(
          (v, e) -> {
            try {
              s3.abortMultipartUpload(b -> b.bucket(bucket).key(objectKey).uploadId(id));
            } catch (SdkException ignored) {
              // Left for the bucket's incomplete-upload lifecycle rule.
            }
          },
          io);
    }
  }

  /**
   * The part filling goes back to the pool. A commit and an abort may both come here, the abort from
   * an event loop while the commit holds the lock and waits on the store: hence no lock (a part's
   * release is its own, brief, and happens once).
   */
  private void releasePart() {
    PartBytes filling = part;
    part = null;
    if (filling != null) {
      filling.release();
    }
  }

  /**
   * Hands the part filling to the chain of sends, which releases it once sent (or skipped after an
   * abort); the next bytes go into a new one.
   */
  private void sendPart(boolean last) {
    PartBytes full = part;
    int number = ++partsSent;
    full.sending(this);
    part = last ? null : new PartBytes(allocator, memory);
    sending = sending
        .thenRunAsync(
            () -> {
              if (done && !last) {
                return;
              }
              if (uploadId == null) {
                uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(objectKey))
                    .uploadId();
              }
              String etag;
              try {
                ByteBuf body = full.retainedBody();
                try {
                  etag = puts.send(
                      PresignedPut.part(bucket, objectKey, uploadId, number), objectKey, body);
                } finally {
                  body.release();
                }
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
              synchronized (completed) {
                completed.add(
                    CompletedPart.builder().partNumber(number).eTag(etag).build());
              }
            },
            io)
        .whenComplete((v, e) -> full.release());
  }

  private void failIfSendingFailed() throws IOException {
    if (sending.isCompletedExceptionally()) {
      try {
        sending.join();
      } catch (CompletionException e) {
        throw new IOException("S3 upload of " + objectKey + " failed: " + rootMessage(e), e);
      }
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage();
  }
}
