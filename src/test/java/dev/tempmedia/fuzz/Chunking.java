package dev.tempmedia.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.nio.ByteBuffer;

/**
 * A way of cutting a body into the buffers a parser is fed, as a network would: chunk lengths taken
 * in turn, each chunk placed at an offset inside a larger heap or direct buffer. The bytes around a
 * chunk hold a filler (the delimiter itself), so a parser reading just outside position..limit would
 * find boundaries that are not there; and one buffer is reused for every chunk, so a parser keeping a
 * reference to an earlier chunk would read later bytes in its place.
 */
record Chunking(int[] lengths, int offset, boolean direct) {
  static final Chunking WHOLE = new Chunking(new int[] {Integer.MAX_VALUE}, 0, false);

  /** Takes each chunk while it is valid: the buffer is overwritten by the next one. */
  interface Sink {
    void accept(ByteBuffer chunk) throws Exception;
  }

  static Chunking from(FuzzedDataProvider data) {
    int[] lengths = new int[data.consumeInt(1, 6)];
    for (int i = 0; i < lengths.length; i++) {
      lengths[i] = data.consumeInt(1, 300);
    }
    return new Chunking(lengths, data.consumeInt(0, 7), data.consumeBoolean());
  }

  void feed(byte[] body, byte[] filler, Sink sink) throws Exception {
    int longest = 0;
    for (int length : lengths) {
      longest = Math.max(longest, Math.min(length, body.length));
    }
    int capacity = offset + longest + offset;
    ByteBuffer buffer =
        direct ? ByteBuffer.allocateDirect(capacity) : ByteBuffer.allocate(capacity);
    int p = 0;
    for (int i = 0; p < body.length; i++) {
      int n = Math.min(lengths[i % lengths.length], body.length - p);
      buffer.clear();
      // Only the margins next to the chunk are refilled: they are what a parser overrunning its
      // position or limit by a little would read.
      for (int k = 0; k < offset; k++) {
        buffer.put(k, filler[k % filler.length]);
        buffer.put(offset + n + k, filler[k % filler.length]);
      }
      buffer.put(offset, body, p, n);
      sink.accept(buffer.position(offset).limit(offset + n));
      p += n;
    }
  }
}
