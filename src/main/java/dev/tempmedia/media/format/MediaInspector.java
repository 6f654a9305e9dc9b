package dev.tempmedia.media.format;

import java.nio.ByteBuffer;

/**
 * Watches an upload's bytes go by, in chunks split anywhere, and tells its format and, for audio, how
 * long it lasts so far. One per upload; holds a few dozen bytes whatever the file's size.
 */
public final class MediaInspector {
  private final byte[] prefix = new byte[Signatures.PREFIX_BYTES];
  private int prefixLength;
  private MediaFormat format = MediaFormat.UNKNOWN;
  private boolean decided;
  private Mp3Frames id3Probe;
  private AudioFrames audio;

  /** Reads the chunk's remaining bytes; the chunk's position and limit are left as they were. */
  public void update(ByteBuffer chunk) {
    if (!chunk.hasRemaining()) {
      return;
    }
    if (audio != null) {
      audio.feed(chunk.duplicate());
      return;
    }
    if (id3Probe != null) {
      probeAfterId3(chunk.duplicate());
      return;
    }
    if (decided) {
      return;
    }
    ByteBuffer rest = chunk.duplicate();
    int take = Math.min(prefix.length - prefixLength, rest.remaining());
    rest.get(prefix, prefixLength, take);
    prefixLength += take;
    decide(false);
    if (audio != null) {
      audio.feed(rest);
    } else if (id3Probe != null) {
      probeAfterId3(rest);
    }
  }

  /** No more bytes: decides what is still open. */
  public void finish() {
    if (!decided && id3Probe == null) {
      decide(true);
    }
    if (id3Probe != null) {
      // The tag never ended in a frame header.
      id3Probe = null;
      format = MediaFormat.UNKNOWN;
    }
    decided = true;
  }

  public MediaFormat format() {
    return format;
  }

  public boolean decided() {
    return decided;
  }

  /** How long the audio frames seen so far last, or -1 when this is not audio. */
  public long audioMillis() {
    return audio == null ? -1 : audio.millis();
  }

  private void decide(boolean complete) {
    Signatures.Detection d =
        Signatures.detect(prefix, prefixLength, complete || prefixLength == prefix.length);
    if (d == null) {
      return;
    }
    if (d.format() == null) {
      id3Probe = new Mp3Frames(d.id3Length(), true);
      id3Probe.feed(ByteBuffer.wrap(prefix, 0, prefixLength));
      settleId3();
      return;
    }
    decided = true;
    format = d.format();
    if (format == MediaFormat.AMR) {
      audio = new AmrFrames(d.framesFrom(), d.wide());
    } else if (format == MediaFormat.MP3) {
      audio = new Mp3Frames(0, false);
    }
    if (audio != null) {
      audio.feed(ByteBuffer.wrap(prefix, 0, prefixLength));
    }
  }

  private void probeAfterId3(ByteBuffer bytes) {
    id3Probe.feed(bytes);
    settleId3();
  }

  /** Once the probe has met the first header position, the tag turns out MP3 or nothing. */
  private void settleId3() {
    Boolean frame = id3Probe.firstWasFrame();
    if (frame == null) {
      return;
    }
    decided = true;
    format = frame ? MediaFormat.MP3 : MediaFormat.UNKNOWN;
    audio = frame ? id3Probe : null;
    id3Probe = null;
  }
}
