package dev.tempmedia.http.semantics;

/**
 * Reads a Range header field (RFC 9110 §14.2) against a representation of known length and says
 * which of three answers it calls for.
 *
 * <p>Serving the whole representation with 200 is always a correct answer to a Range request (RFC
 * 9110 §14.2: a server MAY ignore Range), so every doubt - an unknown unit, bad syntax, several
 * ranges, an absurdly long field - resolves to {@link Full}. Only a well-formed field none of
 * whose ranges can be satisfied earns a 416.
 */
public final class RangeHeader {

  /**
   * Longer fields are not worth reading: we only ever serve a single range, and a field this long
   * is a broken client or an attack (RFC 9110 §14.2 lets the server ignore such fields).
   */
  static final int MAX_FIELD_LENGTH = 1024;

  /** Beyond this many ranges we stop looking for a satisfiable one and simply serve 200. */
  static final int MAX_RANGES = 64;

  private static final String UNIT = "bytes";

  /** What the Range field asks for. */
  public sealed interface Result permits Full, Partial, Unsatisfiable {}

  /** Serve the whole representation with 200, as if there were no Range field. */
  public record Full() implements Result {}

  /** Serve exactly this range with 206. */
  public record Partial(ByteRange range) implements Result {}

  /** Answer 416 with {@link #contentRange()} (RFC 9110 §15.5.17). */
  public record Unsatisfiable(long totalLength) implements Result {
    public String contentRange() {
      return ByteRange.unsatisfiedContentRange(totalLength);
    }
  }

  private static final Full FULL = new Full();

  private RangeHeader() {}

  /**
   * @param header the raw field value, or null when the request had none
   * @param totalLength the current length of the selected representation
   */
  public static Result parse(String header, long totalLength) {
    if (totalLength < 0) {
      throw new IllegalArgumentException("negative length: " + totalLength);
    }
    if (header == null || header.length() > MAX_FIELD_LENGTH) {
      return FULL;
    }
    String value = trimOws(header, 0, header.length());
    int eq = value.indexOf('=');
    // RFC 9110 §14.1: range units are case-insensitive. Any other unit must be ignored (§14.2).
    if (eq != UNIT.length() || !value.regionMatches(true, 0, UNIT, 0, UNIT.length())) {
      return FULL;
    }
    return parseRangeSet(value, eq + 1, totalLength);
  }

  /** RFC 9110 §14.1.1: range-set = 1#range-spec, a comma list (§5.6.1) of at least one member. */
  private static Result parseRangeSet(String value, int from, long totalLength) {
    ByteRange single = null;
    int specs = 0;
    boolean anySatisfiable = false;
    int start = from;
    while (start <= value.length()) {
      int comma = value.indexOf(',', start);
      int end = comma < 0 ? value.length() : comma;
      String spec = trimOws(value, start, end);
      start = end + 1;
      // §5.6.1.2: a recipient must accept and ignore empty list elements, e.g. "bytes=0-1,,".
      if (spec.isEmpty()) {
        continue;
      }
      if (++specs > MAX_RANGES) {
        return FULL;
      }
      Spec parsed = Spec.parse(spec);
      if (parsed == null) {
        // One malformed member makes the whole ranges-specifier invalid: ignore the field.
        return FULL;
      }
      ByteRange range = parsed.resolve(totalLength);
      if (range != null) {
        anySatisfiable = true;
        single = range;
      }
    }
    if (specs == 0) {
      return FULL;
    }
    if (!anySatisfiable) {
      return new Unsatisfiable(totalLength);
    }
    // Several ranges would call for multipart/byteranges (§14.6), which we do not produce; a 200
    // with the whole body answers any Range request correctly.
    return specs == 1 ? new Partial(single) : FULL;
  }

  /**
   * One range-spec. Numbers are kept as digit strings because clients may send more digits than a
   * long holds; such a position is simply beyond the end of anything we store.
   */
  private record Spec(String firstPos, String lastPos, String suffixLength) {

    /** int-range = first-pos "-" [ last-pos ], suffix-range = "-" suffix-length (§14.1.1). */
    static Spec parse(String spec) {
      int dash = spec.indexOf('-');
      if (dash < 0) {
        return null;
      }
      String before = spec.substring(0, dash);
      String after = spec.substring(dash + 1);
      if (before.isEmpty()) {
        return isDigits(after) ? new Spec(null, null, after) : null;
      }
      if (!isDigits(before) || !(after.isEmpty() || isDigits(after))) {
        return null;
      }
      // §14.1.1: an int-range whose last-pos is less than its first-pos is invalid.
      if (!after.isEmpty() && compareDecimal(after, before) < 0) {
        return null;
      }
      return new Spec(before, after.isEmpty() ? null : after, null);
    }

    /** The bytes this spec selects, or null when it is unsatisfiable (§14.1.2). */
    ByteRange resolve(long totalLength) {
      if (totalLength == 0) {
        // §14.1.2 calls a non-zero suffix-range satisfiable even here, but no Content-Range can
        // describe a range of an empty representation, so there is nothing a 206 could carry.
        return null;
      }
      if (suffixLength != null) {
        long n = saturatingParse(suffixLength);
        if (n == 0) {
          return null;
        }
        // §14.1.2: a suffix longer than the representation selects all of it.
        return new ByteRange(Math.max(0, totalLength - n), totalLength - 1);
      }
      long first = saturatingParse(firstPos);
      if (first >= totalLength) {
        return null;
      }
      long last = lastPos == null ? Long.MAX_VALUE : saturatingParse(lastPos);
      // §14.1.2: a last-pos at or past the end means "through the end".
      return new ByteRange(first, Math.min(last, totalLength - 1));
    }
  }

  private static boolean isDigits(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  /** Parses ASCII digits, answering Long.MAX_VALUE for anything larger: beyond any real length. */
  private static long saturatingParse(String digits) {
    long n = 0;
    for (int i = 0; i < digits.length(); i++) {
      int d = digits.charAt(i) - '0';
      if (n > (Long.MAX_VALUE - d) / 10) {
        return Long.MAX_VALUE;
      }
      n = n * 10 + d;
    }
    return n;
  }

  /** Compares two non-negative decimal numbers of any length. */
  private static int compareDecimal(String a, String b) {
    String x = stripLeadingZeros(a);
    String y = stripLeadingZeros(b);
    return x.length() != y.length() ? Integer.compare(x.length(), y.length()) : x.compareTo(y);
  }

  private static String stripLeadingZeros(String digits) {
    int i = 0;
    while (i < digits.length() - 1 && digits.charAt(i) == '0') {
      i++;
    }
    return digits.substring(i);
  }

  /** OWS = *( SP / HTAB ), RFC 9110 §5.6.3. */
  private static String trimOws(String s, int from, int to) {
    while (from < to && isOws(s.charAt(from))) {
      from++;
    }
    while (to > from && isOws(s.charAt(to - 1))) {
      to--;
    }
    return s.substring(from, to);
  }

  private static boolean isOws(char c) {
    return c == ' ' || c == '\t';
  }
}
