package dev.tempmedia.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A way of cutting a body into the buffers a parser is fed, as a network would: chunk lengths taken
 * in turn, each chunk placed at an offset inside a larger heap or direct buffer. The bytes around a
 * chunk hold a filler (the delimiter itself), so a parser reading outside position..limit would find
 * boundaries that are not there.
 */
record Chunking(int[] lengths, int offset, boolean direct) {
  static final Chunking WHOLE = new Chunking(new int[] {Integer.MAX_VALUE}, 0, false);

  static Chunking from(FuzzedDataProvider data) {
    int[] lengths = new int[data.consumeInt(1, 6)];
    for (int i = 0; i < lengths.length; i++) {
      lengths[i] = data.consumeInt(1, 300);
    }
    return new Chunking(lengths, data.consumeInt(0, 7), data.consumeBoolean());
  }

  List<ByteBuffer> cut(byte[] body, byte[] filler) {
    List<ByteBuffer> chunks = new ArrayList<>();
    int p = 0;
    for (int i = 0; p < body.length; i++) {
      int n = Math.min(lengths[i % lengths.length], body.length - p);
      chunks.add(place(body, p, n, filler));
      p += n;
    }
    return chunks;
  }

  private ByteBuffer place(byte[] body, int from, int length, byte[] filler) {
    int capacity = offset + length + offset;
    ByteBuffer buffer = direct ? ByteBuffer.allocateDirect(capacity) : ByteBuffer.allocate(capacity);
    for (int i = 0; i < capacity; i++) {
      buffer.put(i, filler[i % filler.length]);
    }
    buffer.put(offset, body, from, length);
    return buffer.position(offset).limit(offset + length);
  }
}
