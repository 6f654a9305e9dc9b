package dev.tempmedia.media;

import dev.tempmedia.media.format.MediaFormat;
import dev.tempmedia.media.rules.MediaType;
import dev.tempmedia.storage.BlobKey;

/**
 * What a media_id says once its signature is verified: what was uploaded, when, by which isolation
 * domain, and where the bytes are. See {@link MediaIdCodec} for the layout.
 *
 * @param domainTag hex of the 8-byte keyed digest of the owning domain (appid or corpid)
 * @param objectId  hex of the 16 random bytes that name the object
 */
public record MediaId(
    MediaType type, MediaFormat format, long createdAt, String domainTag, String objectId) {
  /** A media_id is valid this long from its created_at: 3 days, as WeChat's. */
  public static final long LIFETIME_SECONDS = 259_200;

  public long expiresAt() {
    return createdAt + LIFETIME_SECONDS;
  }

  public boolean expiredAt(long now) {
    return now >= expiresAt();
  }

  public BlobKey blobKey() {
    return new BlobKey(domainTag, createdAt, objectId);
  }
}
