package dev.tempmedia.http.semantics;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** RFC 8187 §3.2 ext-value: {@code charset "'" [ language ] "'" value-chars}. */
final class ExtValue {

  /**
   * Written in lower case although RFC 8187 §3.2.1 makes the charset case-insensitive: WxJava,
   * a widely used WeChat SDK, looks for the literal {@code filename*=utf-8''}.
   */
  static final String UTF8_PREFIX = "utf-8''";

  private ExtValue() {}

  /**
   * UTF-8 ext-value of text. Only attr-chars (§3.2.1) stay literal, minus '+': WxJava decodes the
   * value with java.net.URLDecoder, which would read a literal '+' as a space.
   */
  static String encodeUtf8(String text) {
    return UTF8_PREFIX
        + PercentCoding.encode(text.getBytes(StandardCharsets.UTF_8), ExtValue::isAttrCharButPlus);
  }

  /**
   * The text an ext-value stands for. §3.2.1 requires recipients to support UTF-8 and
   * ISO-8859-1; other charsets, malformed escapes and bytes invalid in the charset all give empty
   * so that the caller falls back to the plain parameter, as RFC 6266 §4.3 intends.
   */
  static Optional<String> decode(String extValue) {
    int first = extValue.indexOf('\'');
    int second = first < 0 ? -1 : extValue.indexOf('\'', first + 1);
    if (second < 0) {
      return Optional.empty();
    }
    String charsetName = extValue.substring(0, first).strip();
    Charset charset;
    if (charsetName.equalsIgnoreCase("UTF-8")) {
      charset = StandardCharsets.UTF_8;
    } else if (charsetName.equalsIgnoreCase("ISO-8859-1")) {
      charset = StandardCharsets.ISO_8859_1;
    } else {
      return Optional.empty();
    }
    return PercentCoding.decode(extValue.substring(second + 1))
        .flatMap(bytes -> PercentCoding.decodeStrictly(bytes, charset));
  }

  /**
   * attr-char = ALPHA / DIGIT / "!" / "#" / "$" / "&" / "+" / "-" / "." / "^" / "_" / "`" / "|"
   * / "~" (RFC 8187 §3.2.1), without the '+'.
   */
  private static boolean isAttrCharButPlus(int b) {
    return (b >= 'a' && b <= 'z')
        || (b >= 'A' && b <= 'Z')
        || (b >= '0' && b <= '9')
        || "!#$&-.^_`|~".indexOf(b) >= 0;
  }
}
