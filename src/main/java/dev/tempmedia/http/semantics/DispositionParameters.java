package dev.tempmedia.http.semantics;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The parameters of a Content-Disposition value, RFC 6266 §4.1:
 * {@code disposition-type *( ";" disposition-parm )}, each {@code name "=" ( token /
 * quoted-string )}. Lenient where real clients are sloppy, because a readable name is worth more
 * than a grammar lesson: OWS around '=', unquoted values with spaces, an unterminated quote.
 */
final class DispositionParameters {

  private final Map<String, String> values = new HashMap<>();

  private DispositionParameters() {}

  static DispositionParameters parse(String header) {
    DispositionParameters p = new DispositionParameters();
    int i = 0;
    int n = header.length();
    while (i < n) {
      int nameEnd = i;
      while (nameEnd < n && header.charAt(nameEnd) != '=' && header.charAt(nameEnd) != ';') {
        nameEnd++;
      }
      if (nameEnd >= n || header.charAt(nameEnd) == ';') {
        // The disposition type, or a fragment without '='.
        i = nameEnd + 1;
        continue;
      }
      String name = header.substring(i, nameEnd).strip().toLowerCase(Locale.ROOT);
      int v = skipOws(header, nameEnd + 1);
      String value;
      if (v < n && header.charAt(v) == '"') {
        StringBuilder out = new StringBuilder();
        i = readQuoted(header, v + 1, out);
        value = out.toString();
        int semi = header.indexOf(';', i);
        i = semi < 0 ? n : semi + 1;
      } else {
        int semi = header.indexOf(';', v);
        int end = semi < 0 ? n : semi;
        value = header.substring(v, end).strip();
        i = end + 1;
      }
      // RFC 6266 §4.1 calls repeated parameters invalid; the first one wins rather than failing.
      p.values.putIfAbsent(name, value);
    }
    return p;
  }

  Optional<String> get(String name) {
    return Optional.ofNullable(values.get(name));
  }

  /**
   * Reads a quoted-string body (RFC 9110 §5.6.4) into out and returns the index after the closing
   * quote. A backslash escapes only '"' and '\' here: Internet Explorer sends Windows paths such
   * as "C:\dir\a.jpg" unescaped, and unescaping those would fuse the path into one name.
   */
  private static int readQuoted(String s, int from, StringBuilder out) {
    int i = from;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '"') {
        return i + 1;
      }
      if (c == '\\' && i + 1 < s.length() && (s.charAt(i + 1) == '"' || s.charAt(i + 1) == '\\')) {
        out.append(s.charAt(i + 1));
        i += 2;
      } else {
        out.append(c);
        i++;
      }
    }
    return i;
  }

  private static int skipOws(String s, int i) {
    while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
      i++;
    }
    return i;
  }
}
