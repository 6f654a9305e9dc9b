package dev.tempmedia.storage.s3;

import dev.tempmedia.storage.Blob;
import dev.tempmedia.storage.BlobMeta;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;

/** An object in S3: its bytes are read with ranged GETs, passed through as the client asked. */
record S3Blob(S3Client s3, String bucket, String objectKey, BlobMeta meta) implements Blob {

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
}
