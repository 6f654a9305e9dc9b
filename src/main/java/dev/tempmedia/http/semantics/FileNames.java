package dev.tempmedia.http.semantics;

import java.nio.charset.StandardCharsets;

/**
 * Turns whatever name a client gave us into one that is safe to hand back in Content-Disposition
 * (RFC 6266 §4.3 lists what recipients must beware of; we spare them by not sending it).
 */
final class FileNames {

  /** Common file systems cap a name at 255 bytes; longer names only fail on the client. */
  static final int MAX_UTF8_BYTES = 255;

  /** A suffix longer than this is not an extension worth keeping whole when cutting a name. */
  private static final int MAX_EXTENSION_BYTES = 32;

  static final String DEFAULT_NAME = "file";

  /** ASCII punctuation that is harmless in a quoted filename on every common platform. */
  private static final String SAFE_ASCII_PUNCTUATION = " !#$&'()+-.=@[]^_`{}~";

  private FileNames() {}

  /**
   * The name to offer: the last path segment (RFC 6266 §4.3: no directory information), control
   * characters replaced, bidirectional overrides dropped (they disguise "gpj.exe" as "exe.jpg"),
   * no leading dots (hidden files), no trailing dots or spaces (Windows drops them), at most
   * {@link #MAX_UTF8_BYTES} bytes of UTF-8, and never empty.
   */
  static String clean(String name) {
    if (name == null) {
      return DEFAULT_NAME;
    }
    String segment = lastSegment(name);
    StringBuilder out = new StringBuilder(segment.length());
    segment.codePoints().forEach(cp -> {
      if (isBidiControl(cp)) {
        return;
      }
      boolean broken = cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE;
      out.appendCodePoint(isControl(cp) || broken ? '_' : cp);
    });
    String trimmed = trimEnds(out.toString());
    return trimmed.isEmpty() ? DEFAULT_NAME : capLength(trimmed);
  }

  /**
   * The quoted {@code filename} for clients that ignore {@code filename*}: safe ASCII as it is, every
   * other character as its percent-encoded UTF-8 bytes ('%' itself included, as %25). Lossless where
   * an underscore would not be: clients that read only this parameter (WxJava before 4.7 does)
   * receive a name that decodes back exactly, and the user agents RFC 6266 Appendix D warns about,
   * which decode %XX here, get the real name.
   */
  static String asciiFallback(String cleaned) {
    StringBuilder out = new StringBuilder(cleaned.length());
    cleaned.codePoints().forEach(cp -> {
      if (isSafeAscii(cp)) {
        out.append((char) cp);
      } else {
        for (byte b :
            new String(Character.toChars(cp)).getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
          out.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
        }
      }
    });
    return out.toString();
  }

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  /** What follows the last '/' or '\': clients send full paths, and "../" must lead nowhere. */
  static String lastSegment(String name) {
    int cut = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
    return name.substring(cut + 1);
  }

  static boolean isSafeAscii(int cp) {
    return cp >= 0 && cp < SAFE_ASCII.length && SAFE_ASCII[cp];
  }

  /**
   * Letters, digits and {@link #SAFE_ASCII_PUNCTUATION}, by code: every download checks its name one
   * character at a time, and a search of the punctuation string per '-' or '_' of a media id was a
   * few per cent of a small download's Java time.
   */
  private static final boolean[] SAFE_ASCII = safeAscii();

  private static boolean[] safeAscii() {
    boolean[] safe = new boolean[0x80];
    for (int c = 0; c < safe.length; c++) {
      safe[c] = (c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || SAFE_ASCII_PUNCTUATION.indexOf(c) >= 0;
    }
    return safe;
  }

  private static String trimEnds(String s) {
    int from = 0;
    int to = s.length();
    while (from < to && (s.charAt(from) == '.' || Character.isWhitespace(s.charAt(from)))) {
      from++;
    }
    while (to > from && (s.charAt(to - 1) == '.' || Character.isWhitespace(s.charAt(to - 1)))) {
      to--;
    }
    return s.substring(from, to);
  }

  /** Cuts on a code point boundary, keeping a short extension such as ".jpg" intact. */
  private static String capLength(String name) {
    if (utf8Length(name) <= MAX_UTF8_BYTES) {
      return name;
    }
    int dot = name.lastIndexOf('.');
    String extension = dot > 0 ? name.substring(dot) : "";
    if (utf8Length(extension) > MAX_EXTENSION_BYTES) {
      extension = "";
    }
    String base = extension.isEmpty() ? name : name.substring(0, dot);
    int budget = MAX_UTF8_BYTES - utf8Length(extension);
    StringBuilder out = new StringBuilder();
    int used = 0;
    for (int i = 0; i < base.length(); ) {
      int cp = base.codePointAt(i);
      int size = utf8Length(cp);
      if (used + size > budget) {
        break;
      }
      out.appendCodePoint(cp);
      used += size;
      i += Character.charCount(cp);
    }
    return out + extension;
  }

  static int utf8Length(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  private static int utf8Length(int cp) {
    return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }

  /** C0, DEL, C1, and the Unicode line and paragraph separators some software treats as EOL. */
  private static boolean isControl(int cp) {
    return Character.isISOControl(cp) || cp == 0x2028 || cp == 0x2029;
  }

  /** Unicode bidi controls: LRM, RLM, ALM, the embeddings and overrides, and the isolates. */
  private static boolean isBidiControl(int cp) {
    return cp == 0x200E
        || cp == 0x200F
        || cp == 0x061C
        || (cp >= 0x202A && cp <= 0x202E)
        || (cp >= 0x2066 && cp <= 0x2069);
  }
}
