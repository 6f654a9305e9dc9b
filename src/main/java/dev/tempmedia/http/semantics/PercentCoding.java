package dev.tempmedia.http.semantics;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Percent-encoding (RFC 3986 §2.1) and strict charset decoding, shared by the filename code. */
final class PercentCoding {

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private PercentCoding() {}

  /** Encodes every byte but the unreserved ones, with upper-case hex as RFC 3986 §2.1 advises. */
  static String encode(byte[] bytes, Unreserved unreserved) {
    StringBuilder out = new StringBuilder(bytes.length * 3);
    for (byte b : bytes) {
      int c = b & 0xFF;
      if (unreserved.test(c)) {
        out.append((char) c);
      } else {
        out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
      }
    }
    return out.toString();
  }

  /** Which bytes may stay literal. */
  @FunctionalInterface
  interface Unreserved {
    boolean test(int b);
  }

  /**
   * Decodes %XX triplets to bytes; other characters stand for their own UTF-8 bytes. Empty when a
   * '%' does not start a triplet, because then the text was not percent-encoded at all.
   */
  static Optional<byte[]> decode(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '%') {
        int hi = i + 1 < s.length() ? hexValue(s.charAt(i + 1)) : -1;
        int lo = i + 2 < s.length() ? hexValue(s.charAt(i + 2)) : -1;
        if (hi < 0 || lo < 0) {
          return Optional.empty();
        }
        out.write(hi << 4 | lo);
        i += 3;
      } else {
        int cp = s.codePointAt(i);
        if (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) {
          return Optional.empty();
        }
        byte[] utf8 = Character.toString(cp).getBytes(StandardCharsets.UTF_8);
        out.write(utf8, 0, utf8.length);
        i += Character.charCount(cp);
      }
    }
    return Optional.of(out.toByteArray());
  }

  /**
   * The text these bytes encode, or empty if they are not valid in the charset. String's own
   * constructor would instead substitute U+FFFD and hide that the guess was wrong.
   */
  static Optional<String> decodeStrictly(byte[] bytes, Charset charset) {
    try {
      return Optional.of(charset
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString());
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }

  /**
   * The text a percent-encoded UTF-8 string stands for, if {@code s} is one. Only encodings of
   * non-ASCII text count: browsers do not escape '%' in multipart filenames (WHATWG HTML, "encoding
   * the form data set"), so a name like "100%41.jpg" must not be turned into "100A.jpg".
   */
  static Optional<String> decodeEncodedUtf8(String s) {
    if (s.indexOf('%') < 0) {
      return Optional.empty();
    }
    return decode(s)
        .flatMap(bytes -> decodeStrictly(bytes, StandardCharsets.UTF_8))
        .filter(text -> !text.equals(s) && !isAscii(text));
  }

  static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  private static int hexValue(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    return -1;
  }
}
