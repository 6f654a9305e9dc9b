package dev.tempmedia.storage;

import com.fasterxml.jackson.annotation.JsonAlias;

/**
 * What is stored with an object's bytes. This is the persisted record (version 1), kept apart from
 * any wire shape so the API's field names never freeze the on-disk format.
 *
 * @param type        the WeChat media type it was uploaded as (image, voice, video, thumb, file)
 * @param format      the detected format's name (jpeg, png, …, unknown)
 * @param contentType the MIME type served on download
 * @param filename    the name the client uploaded it under (may be empty)
 * @param size        the number of bytes
 * @param checksum    the bytes' {@link ContentChecksum} (a bare SHA-256 hex for objects stored by
 *                    earlier versions, read from their {@code sha256} field)
 * @param createdAt   Unix seconds, the created_at of the upload answer
 */
public record BlobMeta(
    String type,
    String format,
    String contentType,
    String filename,
    long size,
    @JsonAlias("sha256") String checksum,
    long createdAt) {

  /**
   * A strong validator: bytes never change under their id, so their size and checksum name them.
   * Two renditions of one media_id (a voice and its AMR) differ in both.
   */
  public String etag() {
    return "\"" + Long.toHexString(size) + "-" + checksum.substring(checksum.indexOf(':') + 1)
        + "\"";
  }
}
