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
  /** How long a presigned URL is valid; it is used only to start a download. */
  static final Duration URL_LIFETIME = Duration.ofMinutes(10);
  /** A URL is signed anew when less than this is left of it. */
  private static final Duration URL_RENEWAL = Duration.ofMinutes(5);

  private final S3Client s3;
  private final S3Presigner presigner;
  private final String bucket;
  private final String objectKey;
  private final BlobMeta meta;
  private volatile Signed signed;

  private record Signed(URI url, long renewAtNanos) {}

  S3Blob(S3Client s3, S3Presigner presigner, String bucket, String objectKey, BlobMeta meta) {
    this.s3 = s3;
    this.presigner = presigner;
    this.bucket = bucket;
    this.objectKey = objectKey;
    this.meta = meta;
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

  /**
   * Signed locally (no request to the store), and kept for reuse: the object is cached for up to a
   * minute above the store, so one signature serves every download of it meanwhile.
   */
  @Override
  public Optional<URI> signedUrl() {
    Signed current = signed;
    long now = System.nanoTime();
    if (current == null || now - current.renewAtNanos() > 0) {
      URI url;
      try {
        url = presigner
            .presignGetObject(p -> p.signatureDuration(URL_LIFETIME)
                .getObjectRequest(g -> g.bucket(bucket).key(objectKey)))
            .url()
            .toURI();
      } catch (URISyntaxException | SdkException e) {
        return Optional.empty(); // the SDK's own GET still works
      }
      current = new Signed(url, now + URL_LIFETIME.minus(URL_RENEWAL).toNanos());
      signed = current;
    }
    return Optional.of(current.url());
  }
}
