package dev.tempmedia.media.format;

import java.nio.ByteBuffer;

/**
 * MPEG audio Layer III frames: a 4-byte header gives each frame's length and sample count, so the
 * walk skips frame bodies whole. Where the next frame should start but no valid header is (an ID3v1
 * tag, junk), it searches forward byte by byte for the next one.
 */
final class Mp3Frames implements AudioFrames {
  private static final int[] BITRATES_V1 = {
    0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320
  };
  private static final int[] BITRATES_V2 = {
    0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160
  };
  private static final int[] SAMPLE_RATES_V1 = {44100, 48000, 32000};

  /** A parsed Layer III frame header. */
  record Header(int frameLength, int samples, int sampleRate) {}

  private final byte[] header = new byte[4];
  private int headerLength;
  private long skip;
  private long nanos;
  private final boolean firstMustBeFrame;
  private Boolean firstWasFrame;

  /**
   * @param startAt          bytes to pass over first (an ID3v2 tag)
   * @param firstMustBeFrame the bytes at {@code startAt} decide whether this is MP3 at all
   */
  Mp3Frames(long startAt, boolean firstMustBeFrame) {
    this.skip = startAt;
    this.firstMustBeFrame = firstMustBeFrame;
  }

  /** Null until the first header position is reached; then whether a frame was there. */
  Boolean firstWasFrame() {
    return firstWasFrame;
  }

  @Override
  public void feed(ByteBuffer bytes) {
    while (bytes.hasRemaining()) {
      if (firstWasFrame == Boolean.FALSE && firstMustBeFrame) {
        return;
      }
      if (skip > 0) {
        int n = (int) Math.min(skip, bytes.remaining());
        bytes.position(bytes.position() + n);
        skip -= n;
        continue;
      }
      header[headerLength++] = bytes.get();
      if (headerLength < 4) {
        continue;
      }
      Header h = headerAt(header, 0);
      if (h != null) {
        if (firstWasFrame == null) {
          firstWasFrame = true;
        }
        nanos += h.samples() * 1_000_000_000L / h.sampleRate();
        skip = h.frameLength() - 4;
        headerLength = 0;
      } else {
        if (firstWasFrame == null) {
          firstWasFrame = false;
        }
        header[0] = header[1];
        header[1] = header[2];
        header[2] = header[3];
        headerLength = 3;
      }
    }
  }

  @Override
  public long millis() {
    return nanos / 1_000_000;
  }

  /** The Layer III frame header at {@code b[at..at+4)}, or null when it is not one. */
  static Header headerAt(byte[] b, int at) {
    int b0 = b[at] & 0xFF;
    int b1 = b[at + 1] & 0xFF;
    int b2 = b[at + 2] & 0xFF;
    if (b0 != 0xFF || (b1 & 0xE0) != 0xE0) {
      return null;
    }
    int version = (b1 >> 3) & 0x03; // 3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5, 1: reserved
    int layer = (b1 >> 1) & 0x03; // 1: Layer III
    int bitrateIndex = (b2 >> 4) & 0x0F;
    int rateIndex = (b2 >> 2) & 0x03;
    if (version == 1 || layer != 1 || bitrateIndex == 0 || bitrateIndex == 15 || rateIndex == 3) {
      return null;
    }
    boolean mpeg1 = version == 3;
    int bitrate = (mpeg1 ? BITRATES_V1 : BITRATES_V2)[bitrateIndex] * 1000;
    int sampleRate = SAMPLE_RATES_V1[rateIndex] / (mpeg1 ? 1 : version == 2 ? 2 : 4);
    int padding = (b2 >> 1) & 0x01;
    int frameLength = (mpeg1 ? 144 : 72) * bitrate / sampleRate + padding;
    return new Header(frameLength, mpeg1 ? 1152 : 576, sampleRate);
  }
}
