package dev.tempmedia.storage.s3;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * AWS Signature Version 4 for a request authenticated in its query string (a presigned URL) with an
 * unsigned payload, as S3 defines it: the path signed as sent (no second encoding, no normalising),
 * {@code UNSIGNED-PAYLOAD} as the payload's hash.
 *
 * <p>Written by hand, not the SDK's {@code AwsV4HttpSigner}, because it is on the path of every S3
 * upload: the SDK's signer builds a request object, parses its URI again and URL-encodes through
 * {@code URLEncoder} into {@code TreeMap}s, 30–40 µs a PUT once warm, a sixth of tempmedia's CPU
 * per 64 KiB upload; this takes 7–11 µs ({@code bench/SignCost.java}, docs/benchmarks.md). The
 * SDK's signer stays the reference: {@code PutSignerTest} signs the same requests with both at the
 * same instant and expects the same URL and headers.
 */
final class SigV4Presigning {
  static final String ALGORITHM = "AWS4-HMAC-SHA256";
  private static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final HexFormat HEX = HexFormat.of();

  /** S3 accepts a presigned URL for at most seven days. */
  static final Duration LONGEST = Duration.ofDays(7);

  private final String region;
  private final String service;
  /** The last day's signing key: it depends only on the secret, the day, region and service. */
  private volatile SigningKey lastKey;

  /** An HMAC initialised with the day's key, cloned for each signature (cheaper than a new one). */
  private record SigningKey(String secret, String day, Mac keyed) {}

  SigV4Presigning(String region, String service) {
    this.region = region;
    this.service = service;
  }

  /** Who signs: the access key, its secret and, for temporary credentials, the session token. */
  record Identity(String accessKey, String secret, String sessionToken) {}

  /** The signed request: its query string (the signature last) and the headers to send. */
  record Signed(String query, Map<String, String> headers) {}

  /**
   * Signs {@code method} of {@code rawPath} (already encoded, as it will be sent) on {@code host}
   * (the Host header's value: the port after a colon when it is not the scheme's default), with the
   * raw (unencoded) {@code query} parameters and the {@code headers}, all signed, valid for {@code
   * lifetime} from {@code now}. The headers to send are {@code headers} as given plus Host.
   */
  Signed sign(
      String method,
      String host,
      String rawPath,
      Map<String, String> query,
      Map<String, String> headers,
      Identity identity,
      Instant now,
      Duration lifetime) {
    if (lifetime.isNegative() || lifetime.compareTo(LONGEST) > 0) {
      throw new IllegalArgumentException("a presigned URL lives at most 7 days, not " + lifetime);
    }
    String amzDate = AMZ_DATE.format(now);
    String day = amzDate.substring(0, 8);
    String scope = day + "/" + region + "/" + service + "/aws4_request";

    // Canonical headers: lower-case names, sorted; values trimmed, inner runs of spaces made one.
    TreeMap<String, String> canonicalHeaders = new TreeMap<>();
    canonicalHeaders.put("host", host);
    headers.forEach((name, value) ->
        canonicalHeaders.put(name.toLowerCase(Locale.ROOT), collapseSpaces(value)));
    String signedHeaders = String.join(";", canonicalHeaders.keySet());

    // Canonical query: every parameter encoded, sorted by name (then value).
    List<String[]> parameters = new ArrayList<>(query.size() + 6);
    query.forEach((name, value) -> parameters.add(encodedPair(name, value)));
    parameters.add(encodedPair("X-Amz-Algorithm", ALGORITHM));
    parameters.add(encodedPair("X-Amz-Credential", identity.accessKey() + "/" + scope));
    parameters.add(encodedPair("X-Amz-Date", amzDate));
    parameters.add(encodedPair("X-Amz-Expires", Long.toString(lifetime.toSeconds())));
    parameters.add(encodedPair("X-Amz-SignedHeaders", signedHeaders));
    if (identity.sessionToken() != null) {
      parameters.add(encodedPair("X-Amz-Security-Token", identity.sessionToken()));
    }
    parameters.sort((a, b) -> {
      int byName = a[0].compareTo(b[0]);
      return byName != 0 ? byName : a[1].compareTo(b[1]);
    });
    StringBuilder canonicalQuery = new StringBuilder(512);
    for (String[] pair : parameters) {
      if (canonicalQuery.length() > 0) {
        canonicalQuery.append('&');
      }
      canonicalQuery.append(pair[0]).append('=').append(pair[1]);
    }

    StringBuilder request = new StringBuilder(1024)
        .append(method)
        .append('\n')
        .append(rawPath.isEmpty() ? "/" : rawPath)
        .append('\n')
        .append(canonicalQuery)
        .append('\n');
    canonicalHeaders.forEach(
        (name, value) -> request.append(name).append(':').append(value).append('\n'));
    request.append('\n').append(signedHeaders).append('\n').append(UNSIGNED_PAYLOAD);

    String stringToSign = ALGORITHM + "\n" + amzDate + "\n" + scope + "\n"
        + HEX.formatHex(sha256(request.toString()));
    String signature =
        HEX.formatHex(keyedWith(identity.secret(), day).doFinal(bytes(stringToSign)));

    Map<String, String> toSend = new java.util.LinkedHashMap<>(headers);
    toSend.put("Host", host);
    return new Signed(
        canonicalQuery.append("&X-Amz-Signature=").append(signature).toString(), toSend);
  }

  private Mac keyedWith(String secret, String day) {
    SigningKey last = lastKey;
    if (last == null || !last.day().equals(day) || !last.secret().equals(secret)) {
      last = new SigningKey(secret, day, newMac(hmacKeyOf(secret, day)));
      lastKey = last;
    }
    try {
      return (Mac) last.keyed().clone();
    } catch (CloneNotSupportedException e) {
      return newMac(hmacKeyOf(secret, day));
    }
  }

  private byte[] hmacKeyOf(String secret, String day) {
    byte[] key = hmac(bytes("AWS4" + secret), day);
    key = hmac(key, region);
    key = hmac(key, service);
    return hmac(key, "aws4_request");
  }

  private static String[] encodedPair(String name, String value) {
    return new String[] {uriEncode(name, false), uriEncode(value, false)};
  }

  /**
   * RFC 3986 percent-encoding of the UTF-8 bytes, as SigV4 asks: every byte but the unreserved
   * characters ({@code A-Z a-z 0-9 - . _ ~}), and {@code /} too unless {@code keepSlashes}.
   */
  static String uriEncode(String text, boolean keepSlashes) {
    int i = 0;
    while (i < text.length() && unreserved(text.charAt(i), keepSlashes)) {
      i++;
    }
    if (i == text.length()) {
      return text;
    }
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder(bytes.length + 16);
    for (byte b : bytes) {
      char c = (char) (b & 0xff);
      if (c < 0x80 && unreserved(c, keepSlashes)) {
        out.append(c);
      } else {
        out.append('%').append(HEX_UPPER[c >> 4]).append(HEX_UPPER[c & 0xf]);
      }
    }
    return out.toString();
  }

  private static final char[] HEX_UPPER = "0123456789ABCDEF".toCharArray();

  private static boolean unreserved(char c, boolean keepSlashes) {
    return (c >= 'A' && c <= 'Z')
        || (c >= 'a' && c <= 'z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '.'
        || c == '_'
        || c == '~'
        || (keepSlashes && c == '/');
  }

  /**
   * The value without its leading and trailing whitespace, each inner run of whitespace one space
   * (SigV4's canonical header value; whitespace as the SDK counts it: space, tab, CR, LF, VT, FF).
   */
  static String collapseSpaces(String value) {
    if (alreadyCanonical(value)) {
      return value; // every header tempmedia sends: no copy
    }
    StringBuilder out = new StringBuilder(value.length());
    boolean pendingSpace = false;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (whitespace(c)) {
        pendingSpace = out.length() > 0;
      } else {
        if (pendingSpace) {
          out.append(' ');
          pendingSpace = false;
        }
        out.append(c);
      }
    }
    return out.toString();
  }

  /** No whitespace at either end, none but single spaces inside. */
  private static boolean alreadyCanonical(String value) {
    int last = value.length() - 1;
    if (last < 0) {
      return true;
    }
    if (whitespace(value.charAt(0)) || whitespace(value.charAt(last))) {
      return false;
    }
    for (int i = 1; i < last; i++) {
      char c = value.charAt(i);
      if (c == ' ' ? value.charAt(i + 1) == ' ' : whitespace(c)) {
        return false;
      }
    }
    return true;
  }

  private static boolean whitespace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\u000b' || c == '\f';
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes(text));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private static byte[] hmac(byte[] key, String text) {
    return newMac(key).doFinal(bytes(text));
  }

  private static Mac newMac(byte[] key) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }
}
