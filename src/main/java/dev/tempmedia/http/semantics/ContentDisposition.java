package dev.tempmedia.http.semantics;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Content-Disposition for downloads (RFC 6266) with RFC 8187 encoding for names beyond ASCII,
 * and the reverse: the filename of an uploaded multipart part, as real clients send it.
 */
public final class ContentDisposition {

  private ContentDisposition() {}

  /**
   * {@code attachment; filename="NAME"} for names we generate ourselves, such as
   * {@code MEDIA_ID.jpg}.
   *
   * @throws IllegalArgumentException if the name is empty or has anything but letters, digits and
   *     harmless punctuation: quoting could not make such a name safe in every client, so a caller
   *     with a name from outside should use {@link #attachmentWithUtf8}
   */
  public static String attachment(String asciiOnlyName) {
    if (asciiOnlyName == null || asciiOnlyName.isEmpty()) {
      throw new IllegalArgumentException("not a plain ASCII file name: " + asciiOnlyName);
    }
    // A loop over chars, not a stream of code points: this runs on every download. A surrogate is
    // no safe ASCII either, so the answer is the same.
    for (int i = 0; i < asciiOnlyName.length(); i++) {
      if (!FileNames.isSafeAscii(asciiOnlyName.charAt(i))) {
        throw new IllegalArgumentException("not a plain ASCII file name: " + asciiOnlyName);
      }
    }
    return "attachment; filename=\"" + asciiOnlyName + "\"";
  }

  /**
   * {@code attachment; filename*=utf-8''ENCODED; filename="FALLBACK"} for a name from anywhere.
   * The name is cleaned first (last path segment, no controls, at most 255 UTF-8 bytes, "file"
   * when nothing is left); the RFC 8187 form carries it exactly, and the quoted form is an ASCII
   * approximation for clients that ignore filename* (RFC 6266 §4.3, Appendix D). Nothing from the
   * name reaches the header unencoded except safe ASCII, so it cannot inject or unbalance quotes.
   */
  public static String attachmentWithUtf8(String anyName) {
    String name = FileNames.clean(anyName);
    return "attachment; filename*="
        + ExtValue.encodeUtf8(name)
        + "; filename=\""
        + FileNames.asciiFallback(name)
        + "\"";
  }

  /**
   * An uploaded name as {@link #attachmentWithUtf8} will serve it (last path segment, no controls, at
   * most 255 UTF-8 bytes): all of it worth keeping, and short enough for any store's metadata.
   */
  public static String cleanFileName(String anyName) {
    return FileNames.clean(anyName);
  }

  /** The {@code name} parameter of a multipart/form-data part: the form field it carries. */
  public static Optional<String> parseName(String headerValue) {
    if (headerValue == null) {
      return Optional.empty();
    }
    return DispositionParameters.parse(headerValue).get("name");
  }

  /**
   * The filename of a multipart/form-data part (RFC 7578 §4.2) from its raw Content-Disposition
   * value, repaired the ways real clients need:
   *
   * <ul>
   *   <li>{@code filename*} (RFC 8187) wins over {@code filename} when it decodes (RFC 6266 §4.3);
   *   <li>except where Apache HttpClient 5 percent-encoded a name that was already
   *       percent-encoded: {@code filename*=UTF-8''%25E4%25B8%25AD.jpg} next to {@code
   *       filename="%E4%B8%AD.jpg"} means "中.jpg";
   *   <li>a percent-encoded UTF-8 {@code filename} is decoded;
   *   <li>a {@code filename} whose UTF-8 bytes were read as ISO-8859-1 is read again as UTF-8;
   *   <li>directory parts are dropped, as RFC 7578 §4.2 asks.
   * </ul>
   *
   * Empty when there is no usable name. The result is not otherwise cleaned: pass it through
   * {@link #attachmentWithUtf8} before sending it back.
   */
  public static Optional<String> parseFilename(String headerValue) {
    if (headerValue == null) {
      return Optional.empty();
    }
    DispositionParameters params = DispositionParameters.parse(headerValue);
    Optional<String> plain = params.get("filename");
    Optional<String> extended =
        params.get("filename*").flatMap(ExtValue::decode).filter(n -> !n.isBlank());
    Optional<String> name = extended.isPresent()
        ? Optional.of(undoDoubleEncoding(extended.get(), plain))
        : plain.map(ContentDisposition::repairPlain);
    return name.map(FileNames::lastSegment).filter(n -> !n.isBlank() && !isDotSegment(n));
  }

  /**
   * When filename* decodes to percent-encoded UTF-8, it might be a genuine name with '%' in it
   * or an already encoded name encoded again. The plain parameter settles it: if it holds the
   * same encoded text (or its decoded form), the sender meant the decoded name.
   */
  private static String undoDoubleEncoding(String extended, Optional<String> plain) {
    // HttpClient 5.5 under WxJava encodes a name that already carries its own "UTF-8''" prefix:
    // filename*="UTF-8''UTF-8%27%27%25E5…" decodes to "UTF-8''%E5…", an ext-value again.
    if (extended.regionMatches(true, 0, ExtValue.UTF8_PREFIX, 0, ExtValue.UTF8_PREFIX.length())) {
      Optional<String> nested = ExtValue.decode(extended).filter(n -> !n.isBlank());
      if (nested.isPresent()) {
        return nested.get();
      }
    }
    Optional<String> inner = PercentCoding.decodeEncodedUtf8(extended);
    if (inner.isPresent()
        && plain.isPresent()
        && (plain.get().equals(extended) || repairPlain(plain.get()).equals(inner.get()))) {
      return inner.get();
    }
    return extended;
  }

  private static String repairPlain(String plain) {
    return PercentCoding.decodeEncodedUtf8(plain)
        .or(() -> utf8ReadAsLatin1(plain))
        .orElse(plain);
  }

  /**
   * Many servers and clients decode header bytes as ISO-8859-1, so a raw UTF-8 "中.jpg" shows up
   * as "ä¸­.jpg". Re-reading such text as UTF-8 is safe to try: text that really is Latin-1 is
   * almost never also valid UTF-8, and we keep it as it is when it is not.
   */
  private static Optional<String> utf8ReadAsLatin1(String s) {
    boolean high = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c > 0xFF) {
        return Optional.empty();
      }
      high |= c >= 0x80;
    }
    if (!high) {
      return Optional.empty();
    }
    byte[] bytes = s.getBytes(StandardCharsets.ISO_8859_1);
    return PercentCoding.decodeStrictly(bytes, StandardCharsets.UTF_8);
  }

  private static boolean isDotSegment(String name) {
    return name.equals(".") || name.equals("..");
  }
}
