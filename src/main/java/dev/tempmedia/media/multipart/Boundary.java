package dev.tempmedia.media.multipart;

import java.util.Locale;
import java.util.Optional;

/** The boundary of a {@code multipart/form-data} Content-Type, wherever it sits among the parameters. */
public final class Boundary {
  private static final int MAX_LENGTH = 70;

  private Boundary() {}

  /**
   * The boundary, or empty when the type is not multipart/form-data or has no usable boundary.
   * Parameters may come in any order ({@code charset=} before {@code boundary=} is common) and the
   * value may be quoted (RFC 2046 §5.1.1).
   */
  public static Optional<String> of(String contentType) {
    if (contentType == null) {
      return Optional.empty();
    }
    String[] parts = contentType.split(";");
    if (!parts[0].trim().toLowerCase(Locale.ROOT).equals("multipart/form-data")) {
      return Optional.empty();
    }
    for (int i = 1; i < parts.length; i++) {
      String p = parts[i].trim();
      int eq = p.indexOf('=');
      if (eq <= 0 || !p.substring(0, eq).trim().equalsIgnoreCase("boundary")) {
        continue;
      }
      String value = p.substring(eq + 1).trim();
      if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
        value = value.substring(1, value.length() - 1);
      }
      return valid(value) ? Optional.of(value) : Optional.empty();
    }
    return Optional.empty();
  }

  /** Whether the type is multipart/form-data, with or without a boundary parameter. */
  public static boolean isFormData(String contentType) {
    return contentType != null
        && contentType.split(";")[0].trim().toLowerCase(Locale.ROOT).equals("multipart/form-data");
  }

  /** The longest first line a body can have when it opens with a delimiter: dashes, boundary, padding, CRLF. */
  public static final int MAX_FIRST_LINE = 2 + MAX_LENGTH + 8;

  /**
   * The boundary a body's first line declares ({@code --BOUNDARY} CRLF), for a form whose Content-Type
   * names none: some clients send {@code multipart/form-data; charset=…} alone (WxJava 4.6's
   * HttpClient 4 executor of uploadimg). Empty while the line is incomplete or when it is no delimiter.
   */
  public static Optional<String> sniff(byte[] head) {
    if (head.length < 2 || head[0] != '-' || head[1] != '-') {
      return Optional.empty();
    }
    for (int i = 2; i < head.length && i < MAX_FIRST_LINE; i++) {
      if (head[i] == '\n') {
        String line = new String(head, 2, i - 2, java.nio.charset.StandardCharsets.ISO_8859_1)
            .replaceAll("[ \t\r]+$", "");
        return valid(line) ? Optional.of(line) : Optional.empty();
      }
    }
    return Optional.empty();
  }

  /**
   * 1 to 70 printable ASCII characters (RFC 2046 allows fewer, but clients in the wild use more, and
   * all the parser relies on is that a boundary holds no CR or LF, so the delimiter cannot overlap
   * itself).
   */
  static boolean valid(String b) {
    if (b.isEmpty() || b.length() > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < b.length(); i++) {
      char c = b.charAt(i);
      if (c < 0x20 || c > 0x7E) {
        return false;
      }
    }
    return true;
  }
}
