package dev.tempmedia.wechat;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The id of one request, shown to clients the way WeChat shows it: {@code rid: 6560a1b2-1a2b3c4d-5e6f7a8b}
 * (first group the Unix time in hex) and, for WeCom, {@code hint: [1700000000123456789012345]}
 * (25 digits, the first ten the Unix time). The same id names the request in logs and the inspector.
 */
public record RequestId(long epochSecond, int first, int second) {
  private static final java.util.regex.Pattern RID =
      java.util.regex.Pattern.compile("[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}");

  public static RequestId next(long epochSecond) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return new RequestId(epochSecond, random.nextInt(), random.nextInt());
  }

  private static final byte[] HEX =
      "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /**
   * {@code hhhhhhhh-hhhhhhhh-hhhhhhhh}. Written digit by digit: every request's id is formatted for
   * the inspector and the access log, and {@code String.format} cost 6 % of a small download's CPU.
   */
  public String rid() {
    byte[] text = new byte[26];
    hex8((int) epochSecond, text, 0);
    text[8] = '-';
    hex8(first, text, 9);
    text[17] = '-';
    hex8(second, text, 18);
    return new String(text, java.nio.charset.StandardCharsets.US_ASCII);
  }

  private static void hex8(int value, byte[] into, int at) {
    for (int i = 7; i >= 0; i--) {
      into[at + i] = HEX[value & 0xf];
      value >>>= 4;
    }
  }

  /** 25 digits: ten of Unix time, then fifteen derived from the random part. */
  public String wecomHint() {
    long random = ((first & 0xffffffffL) << 20 ^ (second & 0xffffffffL)) % 1_000_000_000_000_000L;
    return String.format("%010d%015d", epochSecond % 10_000_000_000L, random);
  }

  /** The id a {@link #rid()} text names, if it is one. */
  public static java.util.Optional<RequestId> parse(String rid) {
    if (rid == null || !RID.matcher(rid).matches()) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(new RequestId(
        Long.parseLong(rid.substring(0, 8), 16),
        Integer.parseUnsignedInt(rid.substring(9, 17), 16),
        Integer.parseUnsignedInt(rid.substring(18), 16)));
  }

  @Override
  public String toString() {
    return rid();
  }
}
