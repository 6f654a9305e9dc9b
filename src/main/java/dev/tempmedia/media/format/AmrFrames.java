package dev.tempmedia.media.format;

import java.nio.ByteBuffer;

/**
 * AMR storage format (RFC 4867 §5): after the magic, frames of one header byte and a payload whose
 * size the header's frame type gives. Every frame, speech or not, is 20 ms.
 */
final class AmrFrames implements AudioFrames {
  private static final int[] NARROWBAND = {12, 13, 15, 17, 19, 20, 26, 31, 5, 6, 5, 5, 0, 0, 0, 0};
  private static final int[] WIDEBAND = {17, 23, 32, 36, 40, 46, 50, 58, 60, 5, 0, 0, 0, 0, 0, 0};
  private static final int FRAME_MILLIS = 20;

  private final int[] payloadSizes;
  private long skip;
  private long frames;

  /** @param magicLength the bytes of the magic, which come first and are skipped */
  AmrFrames(long magicLength, boolean wideband) {
    this.skip = magicLength;
    this.payloadSizes = wideband ? WIDEBAND : NARROWBAND;
  }

  @Override
  public void feed(ByteBuffer bytes) {
    while (bytes.hasRemaining()) {
      if (skip > 0) {
        int n = (int) Math.min(skip, bytes.remaining());
        bytes.position(bytes.position() + n);
        skip -= n;
        continue;
      }
      int frameType = (bytes.get() >> 3) & 0x0F;
      frames++;
      skip = payloadSizes[frameType];
    }
  }

  @Override
  public long millis() {
    return frames * FRAME_MILLIS;
  }
}
