package dev.tempmedia.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Byte-array searches and writes for building and checking multipart bodies. */
final class Bytes {
  private Bytes() {}

  /** What ends a part: CRLF, two dashes and the boundary (RFC 2046 §5.1.1). */
  static byte[] delimiter(String boundary) {
    return ("\r\n--" + boundary).getBytes(StandardCharsets.US_ASCII);
  }

  static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int k = 0; k < needle.length; k++) {
        if (haystack[i + k] != needle[k]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  static boolean startsWith(byte[] bytes, byte[] prefix) {
    if (bytes.length < prefix.length) {
      return false;
    }
    for (int k = 0; k < prefix.length; k++) {
      if (bytes[k] != prefix[k]) {
        return false;
      }
    }
    return true;
  }

  /**
   * The bytes with every occurrence of the delimiter broken by replacing its CR with NUL. The CR is
   * the delimiter's only CR and a boundary has no NUL, so no new occurrence can appear.
   */
  static byte[] withoutDelimiter(byte[] bytes, byte[] delimiter) {
    byte[] copy = bytes.clone();
    for (int at = indexOf(copy, delimiter); at >= 0; at = indexOf(copy, delimiter)) {
      copy[at] = 0;
    }
    return copy;
  }

  /** Writes and answers how many bytes were written. */
  static int write(ByteArrayOutputStream out, byte[] bytes) {
    out.write(bytes, 0, bytes.length);
    return bytes.length;
  }

  static int write(ByteArrayOutputStream out, String text) {
    return write(out, text.getBytes(StandardCharsets.UTF_8));
  }
}
