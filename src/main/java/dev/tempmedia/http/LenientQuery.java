package dev.tempmedia.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads one query parameter when the query as a whole does not decode. Vert.x refuses every
 * parameter of a query in which any escape is broken ({@code media_id=abc%Z}); WeChat reads each
 * parameter on its own, so a broken escape in one value must not make the others unreadable, nor turn
 * a client's typo into a system error. A broken escape stays as the literal text it was.
 */
final class LenientQuery {
  private LenientQuery() {}

  /** The first value of {@code name} in the raw query, decoded as a form would be; null when absent. */
  static String first(String rawQuery, String name) {
    if (rawQuery == null) {
      return null;
    }
    for (String pair : rawQuery.split("&", -1)) {
      int eq = pair.indexOf('=');
      String key = decode(eq < 0 ? pair : pair.substring(0, eq));
      if (key.equals(name)) {
        return eq < 0 ? "" : decode(pair.substring(eq + 1));
      }
    }
    return null;
  }

  /** Percent-decodes as UTF-8, '+' as a space; an escape that is not two hex digits is kept as it is. */
  static String decode(String text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
    byte[] raw = text.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < raw.length; i++) {
      byte b = raw[i];
      int hi = i + 2 < raw.length ? Character.digit(raw[i + 1], 16) : -1;
      int lo = i + 2 < raw.length ? Character.digit(raw[i + 2], 16) : -1;
      if (b == '%' && hi >= 0 && lo >= 0) {
        out.write(hi << 4 | lo);
        i += 2;
      } else {
        out.write(b == '+' ? ' ' : b);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
