package dev.tempmedia.storage.s3;

import dev.tempmedia.storage.BlobMeta;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@link BlobMeta} as S3 user metadata ({@code x-amz-meta-tm-*}). S3 metadata must be ASCII, so the
 * file name travels percent-encoded. An object without {@code tm-checksum} (or {@code tm-sha256},
 * which objects stored by earlier versions carry instead) was never committed.
 */
final class S3Metadata {
  private static final String CHECKSUM = "tm-checksum";
  private static final String LEGACY_CHECKSUM = "tm-sha256";

  private S3Metadata() {}

  static Map<String, String> encode(BlobMeta meta) {
    Map<String, String> m = new HashMap<>();
    m.put("tm-type", meta.type());
    m.put("tm-format", meta.format());
    m.put("tm-filename", URLEncoder.encode(meta.filename(), StandardCharsets.UTF_8));
    m.put("tm-size", Long.toString(meta.size()));
    m.put(CHECKSUM, meta.checksum());
    m.put("tm-created-at", Long.toString(meta.createdAt()));
    return m;
  }

  static Optional<BlobMeta> decode(Map<String, String> m, String contentType) {
    String checksum = m == null ? null : m.getOrDefault(CHECKSUM, m.get(LEGACY_CHECKSUM));
    if (checksum == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(new BlobMeta(
          m.get("tm-type"),
          m.get("tm-format"),
          contentType,
          URLDecoder.decode(m.getOrDefault("tm-filename", ""), StandardCharsets.UTF_8),
          Long.parseLong(m.get("tm-size")),
          checksum,
          Long.parseLong(m.get("tm-created-at"))));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
