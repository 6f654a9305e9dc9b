package dev.tempmedia.media.format;

import java.nio.ByteBuffer;

/** A streaming walk over audio frames that adds up their duration. */
interface AudioFrames {
  /** Reads the buffer's remaining bytes (the caller's copy of it, so position may move). */
  void feed(ByteBuffer bytes);

  long millis();
}
