package dev.tempmedia.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;

/**
 * What the local store holds on disk, read as a person would with {@code find}: published objects
 * under {@code <data>/media} (one file each, bytes then a {@code TMB1} trailer) and temporary files
 * under {@code <data>/media/.incoming}. Reads the files directly, so it works for a server in another
 * process too.
 */
public final class StoredObjects {
  private static final String INCOMING = ".incoming";

  private final Path mediaRoot;

  public StoredObjects(Path dataDir) {
    this.mediaRoot = dataDir.resolve("media");
  }

  /** Every published object file (anything outside {@code .incoming}). */
  public List<Path> objects() {
    if (!Files.isDirectory(mediaRoot)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(mediaRoot)) {
      return walk.filter(Files::isRegularFile)
          .filter(p -> !mediaRoot.relativize(p).startsWith(INCOMING))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Temporary files of uploads in progress, or left behind. */
  public List<Path> incoming() {
    Path dir = mediaRoot.resolve(INCOMING);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> list = Files.list(dir)) {
      return list.sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One object's checksum as recorded in its trailer, and as computed over its bytes. */
  public record Content(long size, String recordedChecksum, String actualChecksum) {
    public boolean intact() {
      return recordedChecksum.equals(actualChecksum);
    }
  }

  /** The checksum an object's trailer records, without reading its bytes; throws on a torn file. */
  public static String recordedChecksum(Path object) {
    try (FileChannel channel = FileChannel.open(object, StandardOpenOption.READ)) {
      return trailer(object, channel).path("checksum").asText();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads an object's trailer and checksums the bytes it says it has; throws on a torn file. */
  public static Content read(Path object) {
    try (FileChannel channel = FileChannel.open(object, StandardOpenOption.READ)) {
      JsonNode meta = trailer(object, channel);
      long size = meta.path("size").asLong();
      CRC32C crc = new CRC32C();
      channel.position(0);
      try (InputStream in = new CheckedInputStream(Channels.newInputStream(channel), crc)) {
        long left = size;
        byte[] buf = new byte[64 * 1024];
        while (left > 0) {
          int n = in.read(buf, 0, (int) Math.min(buf.length, left));
          if (n < 0) {
            throw new IllegalStateException(object + " ended early");
          }
          left -= n;
        }
      }
      return new Content(
          size, meta.path("checksum").asText(), String.format("crc32c:%08x", crc.getValue()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The trailer's JSON, checked against the file's length. */
  private static JsonNode trailer(Path object, FileChannel channel) throws IOException {
    long fileSize = channel.size();
    if (fileSize < 8) {
      throw new IllegalStateException(object + " is too short to hold a trailer");
    }
    ByteBuffer tail = readAt(channel, fileSize - 8, 8);
    int jsonLength = tail.getInt(0);
    String magic = new String(tail.array(), 4, 4, StandardCharsets.US_ASCII);
    if (!magic.equals("TMB1") || jsonLength < 2 || jsonLength > fileSize - 8) {
      throw new IllegalStateException(object + " has no valid trailer (torn or foreign file)");
    }
    long size = fileSize - 8 - jsonLength;
    JsonNode meta = TestServer.json(
        new String(readAt(channel, size, jsonLength).array(), StandardCharsets.UTF_8));
    if (meta.path("size").asLong(-1) != size) {
      throw new IllegalStateException(
          object + " holds " + size + " bytes but its trailer says " + meta.path("size"));
    }
    return meta;
  }

  private static ByteBuffer readAt(FileChannel channel, long position, int length)
      throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(length);
    while (buf.hasRemaining()) {
      if (channel.read(buf, position + buf.position()) < 0) {
        throw new IOException("unexpected end of file");
      }
    }
    return buf;
  }
}
