package dev.tempmedia.storage.s3;

import dev.tempmedia.storage.Blob;
import dev.tempmedia.storage.BlobMeta;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * An object in S3: its bytes are read with ranged GETs, passed through as the client asked, either by
 * the SDK ({@link #openRange}) or by whoever sends its presigned URL ({@link #signedUrl}).
 */
final class S3Blob implements Blob {
  /**
   * How long a presigned URL is valid. It is used only to start a download, and an S3Blob lives at
   * most a minute in the cache above the store ({@link dev.tempmedia.storage.CachingBlobStore}).
   */
  static final Duration URL_LIFETIME = Duration.ofMinutes(10);
  /** After this, the URL is no longer handed out: a blob held so long reads through the SDK. */
  private static final Duration URL_USE = Duration.ofMinutes(5);

  private final S3Client s3;
  private final String bucket;
  private final String objectKey;
  private final BlobMeta meta;
  /** Empty when signing failed; the SDK's own GET still works. */
  private final Optional<URI> signedUrl;

  private final long signedAtNanos;

  /**
   * Signs the object's GET URL now, on the thread that opened it (a worker): signing is local, but
   * the credentials behind it may be resolved over the network the first time (the AWS default
   * chain), which must never happen on the event loop that later sends the download.
   */
  S3Blob(S3Client s3, S3Presigner presigner, String bucket, String objectKey, BlobMeta meta) {
    this.s3 = s3;
    this.bucket = bucket;
    this.objectKey = objectKey;
    this.meta = meta;
    this.signedAtNanos = System.nanoTime();
    this.signedUrl = sign(presigner, bucket, objectKey);
  }

  private static Optional<URI> sign(S3Presigner presigner, String bucket, String objectKey) {
    try {
      return Optional.of(presigner
          .presignGetObject(p -> p.signatureDuration(URL_LIFETIME)
              .getObjectRequest(g -> g.bucket(bucket).key(objectKey)))
          .url()
          .toURI());
    } catch (URISyntaxException | SdkException e) {
      return Optional.empty();
    }
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
  public InputStream openRange(long offset, long length) throws IOException {
    if (offset < 0 || length <= 0 || offset + length > meta.size()) {
      throw new IllegalArgumentException("range outside the object");
    }
    try {
      return s3.getObject(GetObjectRequest.builder()
          .bucket(bucket)
          .key(objectKey)
          .range("bytes=" + offset + "-" + (offset + length - 1))
          .build());
    } catch (SdkException e) {
      throw new IOException("S3 GET " + objectKey + " failed: " + e.getMessage(), e);
    }
  }

  /** The URL signed when the object was opened, while it has more than enough life left. */
  @Override
  public Optional<URI> signedUrl() {
    return System.nanoTime() - signedAtNanos < URL_USE.toNanos() ? signedUrl : Optional.empty();
  }
}
