package dev.tempmedia.storage;

/**
 * What is stored with an object's bytes. This is the persisted record (version 1), kept apart from
 * any wire shape so the API's field names never freeze the on-disk format.
 *
 * @param type        the WeChat media type it was uploaded as (image, voice, video, thumb, file)
 * @param format      the detected format's name (jpeg, png, …, unknown)
 * @param contentType the MIME type served on download
 * @param filename    the name the client uploaded it under (may be empty)
 * @param size        the number of bytes
 * @param sha256      hex digest of the bytes, also the base of the ETag
 * @param createdAt   Unix seconds, the created_at of the upload answer
 */
public record BlobMeta(
    String type,
    String format,
    String contentType,
    String filename,
    long size,
    String sha256,
    long createdAt) {}
