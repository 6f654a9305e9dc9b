package dev.tempmedia.cloud;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies the TC3-HMAC-SHA256 signature {@code @cloudbase/node-sdk} puts on every gateway request,
 * as {@code @cloudbase/signature-nodejs} 2.2.0 computes it (lib/signer.js, tc3sign; the SDK calls it
 * with the lower-case method {@code post}, {@code withSignedParams: true} and the time in
 * {@code X-Timestamp}, dist/utils/tcbapirequester.js getHeaders):
 *
 * <pre>
 * canonical  = method \n //host/path \n query \n (header:value \n)* \n signedHeaders \n hex(sha256(params))
 * params     = for each signed param: "&amp;" key "=" value "\r\n"   (text trimmed, file parts raw)
 * toSign     = "TC3-HMAC-SHA256" \n timestamp \n date/tcb/tc3_request \n hex(sha256(canonical))
 * key        = hmac(hmac(hmac("TC3" secretKey, date), "tcb"), "tc3_request")
 * </pre>
 *
 * Header values are signed trimmed and in lower case, a multipart Content-Type without its boundary.
 * The lists in the header say the order; this side requires that host and content-type are among the
 * signed headers and that every non-empty form field is a signed param, so nothing unsigned reaches a
 * handler. Nothing here ever puts the secret key or the expected signature into a message.
 */
public final class Tc3Signature {
  public static final String ALGORITHM = "TC3-HMAC-SHA256";
  /** How far {@code X-Timestamp} may be from this server's clock (the SDK sends X-Signature-Expires: 600). */
  public static final long MAX_SKEW_SECONDS = 600;

  private static final String SERVICE = "tcb";

  /** What a signature covers, as received. */
  public record Request(
      String method,
      String host,
      String path,
      String rawQuery,
      Function<String, String> header,
      TcbForm form) {}

  private Tc3Signature() {}

  /** Throws the gateway's refusal unless {@code request} is signed by {@code secretId}/{@code secretKey} now. */
  public static void verify(Request request, String secretId, String secretKey, long nowSeconds) {
    String authorization = request.header().apply("Authorization");
    if (authorization == null || authorization.isBlank()) {
      throw refused("the request is not signed (no Authorization header); give cloud.init the"
          + " secretId and secretKey of cloud.secretId/cloud.secretKey");
    }
    if (!authorization.startsWith(ALGORITHM + " ")) {
      throw refused("the Authorization header is not " + ALGORITHM);
    }
    Map<String, String> parts = parts(authorization.substring(ALGORITHM.length() + 1));
    String credential = required(parts, "Credential");
    String signature = required(parts, "Signature");
    List<String> signedHeaders = list(required(parts, "SignedHeaders"));
    List<String> signedParams = list(parts.getOrDefault("SignedParams", ""));
    String[] scope = credential.split("/", -1);
    if (scope.length != 4 || !SERVICE.equals(scope[2]) || !"tc3_request".equals(scope[3])) {
      throw refused("the Credential is not <SecretId>/<date>/tcb/tc3_request");
    }
    if (!MessageDigest.isEqual(bytes(scope[0]), bytes(secretId))) {
      throw refused("the request is signed with SecretId '" + TcbForm.clip(scope[0])
          + "', not the one in cloud.secretId");
    }
    long timestamp = timestamp(request.header().apply("X-Timestamp"));
    if (Math.abs(nowSeconds - timestamp) > MAX_SKEW_SECONDS) {
      throw refused("X-Timestamp " + timestamp + " is " + Math.abs(nowSeconds - timestamp)
          + " s from this server's clock; a signature is good for " + MAX_SKEW_SECONDS + " s");
    }
    String date =
        Instant.ofEpochSecond(timestamp).atZone(ZoneOffset.UTC).toLocalDate().toString();
    if (!date.equals(scope[1])) {
      throw refused("the Credential's date " + TcbForm.clip(scope[1])
          + " is not the date of X-Timestamp (" + date + ")");
    }
    if (!signedHeaders.contains("host") || !signedHeaders.contains("content-type")) {
      throw refused("SignedHeaders must include host and content-type");
    }
    String canonical = request.method().toLowerCase(Locale.ROOT) + "\n//" + request.host()
        + request.path() + "\n" + (request.rawQuery() == null ? "" : request.rawQuery()) + "\n"
        + canonicalHeaders(request, signedHeaders) + "\n" + String.join(";", signedHeaders) + "\n"
        + paramsHash(request.form(), signedParams);
    String scopeText = date + "/" + SERVICE + "/tc3_request";
    String toSign =
        ALGORITHM + "\n" + timestamp + "\n" + scopeText + "\n" + hex(sha256(bytes(canonical)));
    byte[] key = hmac(bytes("TC3" + secretKey), bytes(date));
    key = hmac(key, bytes(SERVICE));
    key = hmac(key, bytes("tc3_request"));
    String expected = hex(hmac(key, bytes(toSign)));
    if (!MessageDigest.isEqual(bytes(expected), bytes(signature.toLowerCase(Locale.ROOT)))) {
      throw refused("the signature does not match: the request was signed with another SecretKey"
          + " than cloud.secretKey, or changed after it was signed");
    }
  }

  private static String canonicalHeaders(Request request, List<String> signed) {
    StringBuilder out = new StringBuilder();
    for (String name : signed) {
      String value = request.header().apply(name);
      if (value == null) {
        throw refused("the signed header " + TcbForm.clip(name) + " is not in the request");
      }
      if (name.equals("content-type")) {
        value = value.startsWith("multipart/form-data") ? "multipart/form-data" : value;
      } else {
        value = value.trim().toLowerCase(Locale.ROOT);
      }
      out.append(name).append(':').append(value).append('\n');
    }
    return out.toString();
  }

  private static String paramsHash(TcbForm form, List<String> signed) {
    for (var field : form.fields().entrySet()) {
      if (field.getValue().length > 0
          && !signed.contains(field.getKey().toLowerCase(Locale.ROOT))) {
        throw refused("the form field " + TcbForm.clip(field.getKey()) + " is not signed");
      }
    }
    MessageDigest digest = sha256();
    for (String key : signed) {
      String field = form.fields().keySet().stream()
          .filter(name -> name.toLowerCase(Locale.ROOT).equals(key))
          .findFirst()
          .orElseThrow(
              () -> refused("the signed param " + TcbForm.clip(key) + " is not in the form"));
      byte[] value = form.fields().get(field);
      if (!form.isFile(field)) {
        value = bytes(new String(value, StandardCharsets.UTF_8).strip());
      }
      digest.update(bytes("&" + key + "="));
      digest.update(value);
      digest.update(bytes("\r\n"));
    }
    return hex(digest.digest());
  }

  private static Map<String, String> parts(String text) {
    Map<String, String> out = new java.util.HashMap<>();
    for (String part : text.split(",")) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        out.putIfAbsent(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
      }
    }
    return out;
  }

  private static String required(Map<String, String> parts, String name) {
    String value = parts.get(name);
    if (value == null || value.isEmpty()) {
      throw refused("the Authorization header has no " + name);
    }
    return value;
  }

  private static List<String> list(String text) {
    List<String> out = new ArrayList<>();
    for (String s : text.split(";")) {
      if (!s.isBlank()) {
        out.add(s.trim());
      }
    }
    return out;
  }

  private static long timestamp(String text) {
    try {
      return Long.parseLong(text == null ? "" : text.trim());
    } catch (NumberFormatException e) {
      throw refused("X-Timestamp is missing or not a number of seconds");
    }
  }

  private static GatewayException refused(String message) {
    return new GatewayException(GatewayException.SIGN_PARAM_INVALID, message);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private static byte[] sha256(byte[] data) {
    return sha256().digest(data);
  }

  private static byte[] hmac(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
