package dev.tempmedia.http;

/**
 * Reads one parameter straight from a query that needs no decoding, as nearly every SDK's query is
 * ({@code access_token=…&media_id=…}: letters, digits, '-' and '_'). Vert.x's {@code getParam}
 * decodes every parameter of the query into a map first, which cost a tenth of a small download's
 * CPU for the one or two values a route reads. The answer is the one Vert.x would give: names match
 * case-insensitively (ASCII, as its map does), the first occurrence wins, a name without '=' has the
 * value "", a pair's leading '=' are skipped, and an empty pair names nothing. Any query it might
 * read differently is left to Vert.x: one with an escape or a '+' (decoded), a ';' (a separator too
 * for Vert.x), a '#', or more parameters than Vert.x decodes.
 * {@code PlainQueryTest} holds it to Vert.x's decoder.
 */
final class PlainQuery {
  /** Returned, by identity, when the query must be read by Vert.x. */
  static final String NOT_PLAIN = new String("not plain");

  /** Vert.x decodes at most this many parameters ({@code QueryParamDecoderConfig.DEFAULT_MAX_SIZE}). */
  static final int MAX_PARAMS = 1024;

  private PlainQuery() {}

  /** The first value of {@code name} in {@code query} (null when absent), or {@link #NOT_PLAIN}. */
  static String first(String query, String name) {
    return isPlain(query) ? firstOfPlain(query, name) : NOT_PLAIN;
  }

  /**
   * Whether nothing in {@code query} needs decoding: no escape, '+', ';' or '#'. A route reads
   * several parameters of one query, so {@link Exchange} asks this once.
   */
  static boolean isPlain(String query) {
    if (query == null) {
      return true;
    }
    // Four searches rather than one loop over the characters: String.indexOf is a vectorised
    // intrinsic, and every request's query is checked so.
    return query.indexOf('%') < 0
        && query.indexOf('+') < 0
        && query.indexOf(';') < 0
        && query.indexOf('#') < 0;
  }

  /** Like {@link #first}, for a query {@link #isPlain} accepted. */
  static String firstOfPlain(String query, String name) {
    if (query == null) {
      return null;
    }
    int length = query.length();
    int pairs = 0;
    for (int start = 0; start < length; ) {
      int end = query.indexOf('&', start);
      if (end < 0) {
        end = length;
      }
      int nameStart = start;
      while (nameStart < end && query.charAt(nameStart) == '=') {
        nameStart++; // Netty's decoder skips a pair's leading '=': "==a" names a
      }
      if (nameStart < end) {
        if (++pairs > MAX_PARAMS) {
          return NOT_PLAIN;
        }
        int eq = query.indexOf('=', nameStart);
        int nameEnd = eq < 0 || eq > end ? end : eq;
        if (nameEnd - nameStart == name.length() && asciiEqualsIgnoreCase(query, nameStart, name)) {
          return nameEnd == end ? "" : query.substring(nameEnd + 1, end);
        }
      }
      start = end + 1;
    }
    return null;
  }

  private static boolean asciiEqualsIgnoreCase(String text, int at, String name) {
    for (int i = 0; i < name.length(); i++) {
      if (lower(text.charAt(at + i)) != lower(name.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static char lower(char c) {
    return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
  }
}
