package dev.tempmedia.media.multipart;

/** The body is not well-formed multipart/form-data; the message says where it broke, in plain words. */
public final class MultipartException extends Exception {
  public MultipartException(String message) {
    super(message, null, false, false);
  }
}
