package dev.tempmedia.http.semantics;

/**
 * One satisfiable byte range of a representation, both ends inclusive as in RFC 9110 §14.1.2, so
 * {@code bytes=0-0} is the first byte and has length 1.
 */
public record ByteRange(long first, long last) {

  public ByteRange {
    if (first < 0 || last < first) {
      throw new IllegalArgumentException("not a byte range: " + first + "-" + last);
    }
  }

  public long length() {
    return last - first + 1;
  }

  /** The Content-Range value of a 206 answer (RFC 9110 §14.4), e.g. {@code bytes 0-499/1234}. */
  public String contentRange(long totalLength) {
    if (last >= totalLength) {
      throw new IllegalArgumentException(this + " does not fit in " + totalLength + " bytes");
    }
    return "bytes " + first + "-" + last + "/" + totalLength;
  }

  /**
   * The Content-Range value of a 416 answer: RFC 9110 §14.4 has the server send the current length
   * with an unsatisfied-range, e.g. {@code bytes *}{@code /1234}.
   */
  public static String unsatisfiedContentRange(long totalLength) {
    if (totalLength < 0) {
      throw new IllegalArgumentException("negative length: " + totalLength);
    }
    return "bytes */" + totalLength;
  }
}
