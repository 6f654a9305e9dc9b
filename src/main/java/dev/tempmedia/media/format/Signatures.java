package dev.tempmedia.media.format;

/**
 * Format detection from the first bytes. Hand-written rather than Apache Tika: the seven formats
 * WeChat takes are told apart by fixed signatures at offset 0, the audio ones must be walked frame
 * by frame anyway to measure their duration, and Tika's detector would load and parse its whole
 * MIME database at start for answers these few lines give.
 */
final class Signatures {
  /** Bytes enough to tell every format apart (MP3 after an ID3 tag is decided later). */
  static final int PREFIX_BYTES = 18;

  private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  private static final byte[] AMR_NB =
      "#!AMR\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final byte[] AMR_WB =
      "#!AMR-WB\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private Signatures() {}

  /** What the prefix shows; {@code complete} says no more bytes will come. Null: undecided yet. */
  static Detection detect(byte[] b, int n, boolean complete) {
    if (startsWith(b, n, PNG)) {
      return Detection.of(MediaFormat.PNG, 0);
    }
    if (n >= 3 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8 && (b[2] & 0xFF) == 0xFF) {
      return Detection.of(MediaFormat.JPEG, 0);
    }
    if (n >= 6
        && b[0] == 'G'
        && b[1] == 'I'
        && b[2] == 'F'
        && b[3] == '8'
        && (b[4] == '7' || b[4] == '9')
        && b[5] == 'a') {
      return Detection.of(MediaFormat.GIF, 0);
    }
    if (startsWith(b, n, AMR_WB)) {
      return Detection.of(MediaFormat.AMR, AMR_WB.length).wideband();
    }
    if (startsWith(b, n, AMR_NB)) {
      return Detection.of(MediaFormat.AMR, AMR_NB.length);
    }
    if (n >= 18 || (complete && n >= 2)) {
      if (b[0] == 'B' && b[1] == 'M') {
        return n >= 18 && bmpHeaderSize(b) ? Detection.of(MediaFormat.BMP, 0) : Detection.UNKNOWN;
      }
    }
    if (n >= 8 && b[4] == 'f' && b[5] == 't' && b[6] == 'y' && b[7] == 'p') {
      long boxSize =
          ((b[0] & 0xFFL) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
      return boxSize >= 8 || boxSize == 1 ? Detection.of(MediaFormat.MP4, 0) : Detection.UNKNOWN;
    }
    if (n >= 10
        && b[0] == 'I'
        && b[1] == 'D'
        && b[2] == '3'
        && (b[3] & 0xFF) < 0xFF
        && (b[4] & 0xFF) < 0xFF
        && ((b[6] | b[7] | b[8] | b[9]) & 0x80) == 0) {
      long size =
          ((b[6] & 0x7FL) << 21) | ((b[7] & 0x7F) << 14) | ((b[8] & 0x7F) << 7) | (b[9] & 0x7F);
      long footer = (b[5] & 0x10) != 0 ? 10 : 0;
      return Detection.id3(10 + size + footer);
    }
    if (n >= 4 && Mp3Frames.headerAt(b, 0) != null) {
      return Detection.of(MediaFormat.MP3, 0);
    }
    // A prefix of a signature may still become one; anything else never will.
    if (n < 18 && !complete && couldStillMatch(b, n)) {
      return null;
    }
    return Detection.UNKNOWN;
  }

  private static boolean bmpHeaderSize(byte[] b) {
    int dib =
        (b[14] & 0xFF) | ((b[15] & 0xFF) << 8) | ((b[16] & 0xFF) << 16) | ((b[17] & 0xFF) << 24);
    return dib == 12
        || dib == 40
        || dib == 52
        || dib == 56
        || dib == 64
        || dib == 108
        || dib == 124;
  }

  private static boolean couldStillMatch(byte[] b, int n) {
    if (n == 0) {
      return true;
    }
    return prefixOf(b, n, PNG)
        || prefixOf(b, n, new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF})
        || prefixOf(b, n, "GIF8".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
        || prefixOf(b, n, AMR_WB)
        || prefixOf(b, n, AMR_NB)
        || (b[0] == 'B' && (n < 2 || b[1] == 'M'))
        || (n < 8
            && (n <= 4
                || prefixOf(
                    java.util.Arrays.copyOfRange(b, 4, n),
                    n - 4,
                    "ftyp".getBytes(java.nio.charset.StandardCharsets.US_ASCII))))
        || (n < 10
            && prefixOf(
                b, Math.min(n, 3), "ID3".getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
        || (n < 4 && (b[0] & 0xFF) == 0xFF);
  }

  private static boolean startsWith(byte[] b, int n, byte[] sig) {
    if (n < sig.length) {
      return false;
    }
    for (int i = 0; i < sig.length; i++) {
      if (b[i] != sig[i]) {
        return false;
      }
    }
    return true;
  }

  /** Whether the first n bytes agree with the signature as far as they go. */
  private static boolean prefixOf(byte[] b, int n, byte[] sig) {
    for (int i = 0; i < Math.min(n, sig.length); i++) {
      if (b[i] != sig[i]) {
        return false;
      }
    }
    return true;
  }

  /** A detection: the format and where its frames start, or an ID3 tag to skip before deciding. */
  record Detection(MediaFormat format, long framesFrom, boolean wide, long id3Length) {
    static final Detection UNKNOWN = new Detection(MediaFormat.UNKNOWN, 0, false, 0);

    static Detection of(MediaFormat format, long framesFrom) {
      return new Detection(format, framesFrom, false, 0);
    }

    static Detection id3(long length) {
      return new Detection(null, length, false, length);
    }

    Detection wideband() {
      return new Detection(format, framesFrom, true, 0);
    }
  }
}
