package dev.tempmedia.storage.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tempmedia.io.Json;
import dev.tempmedia.storage.BlobMeta;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;

/**
 * The metadata stored after an object's bytes: JSON, then its length (4 bytes, big-endian), then the
 * magic {@code TMB1}. At the end because the size and digest are only known once the bytes are in.
 */
final class Trailer {
  private static final ObjectMapper JSON = Json.MAPPER;
  private static final byte[] MAGIC = "TMB1".getBytes(StandardCharsets.US_ASCII);
  private static final int TAIL = 8;
  private static final int MAX_JSON = 64 * 1024;

  private Trailer() {}

  static ByteBuffer encode(BlobMeta meta) throws IOException {
    byte[] json = JSON.writeValueAsBytes(meta);
    return ByteBuffer.allocate(json.length + TAIL)
        .put(json)
        .putInt(json.length)
        .put(MAGIC)
        .flip();
  }

  static BlobMeta read(FileChannel channel) throws IOException {
    long fileSize = channel.size();
    if (fileSize < TAIL) {
      throw new IOException("object too short to hold its metadata");
    }
    ByteBuffer tail = ByteBuffer.allocate(TAIL);
    readFully(channel, tail, fileSize - TAIL);
    int length = tail.getInt(0);
    for (int i = 0; i < MAGIC.length; i++) {
      if (tail.get(4 + i) != MAGIC[i]) {
        throw new IOException("object has no metadata trailer (not written by this server?)");
      }
    }
    if (length < 2 || length > MAX_JSON || length > fileSize - TAIL) {
      throw new IOException("object's metadata length " + length + " is corrupt");
    }
    ByteBuffer json = ByteBuffer.allocate(length);
    readFully(channel, json, fileSize - TAIL - length);
    BlobMeta meta = JSON.readValue(json.array(), BlobMeta.class);
    if (meta.size() != fileSize - TAIL - length) {
      throw new IOException("object's size does not match its metadata");
    }
    return meta;
  }

  private static void readFully(FileChannel channel, ByteBuffer buf, long position)
      throws IOException {
    while (buf.hasRemaining()) {
      int n = channel.read(buf, position + buf.position());
      if (n < 0) {
        throw new IOException("unexpected end of object");
      }
    }
  }
}
