package dev.tempmedia.testing;

import dev.tempmedia.media.format.MediaFormat;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Real files of every format, made in memory: images by the JDK's own encoders, audio as valid frame
 * sequences of a chosen duration, MP4 as ISO boxes. {@link #padTo} makes a file of an exact size that
 * is still the same format (and, for audio, the same duration), for the at-the-limit tests.
 */
public final class MediaSamples {
  private MediaSamples() {}

  public static byte[] jpeg(int w, int h) {
    return image("jpg", w, h, BufferedImage.TYPE_INT_RGB);
  }

  public static byte[] png(int w, int h) {
    return image("png", w, h, BufferedImage.TYPE_INT_RGB);
  }

  public static byte[] gif(int w, int h) {
    return image("gif", w, h, BufferedImage.TYPE_INT_RGB);
  }

  public static byte[] bmp(int w, int h) {
    return image("bmp", w, h, BufferedImage.TYPE_INT_RGB);
  }

  private static byte[] image(String kind, int w, int h, int type) {
    BufferedImage img = new BufferedImage(w, h, type);
    Graphics2D g = img.createGraphics();
    for (int y = 0; y < h; y += 4) {
      g.setColor(new Color((y * 7) % 256, (y * 13) % 256, 200));
      g.fillRect(0, y, w, 4);
    }
    g.setColor(Color.WHITE);
    g.drawLine(0, 0, w - 1, h - 1);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(img, kind, out)) {
        throw new IllegalStateException("no ImageIO writer for " + kind);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** AMR-NB at 12.2 kbps: 50 frames a second of 1 + 31 bytes. */
  public static byte[] amr(double seconds) {
    int frames = (int) Math.round(seconds * 50);
    ByteBuffer b = ByteBuffer.allocate(6 + frames * 32);
    b.put("#!AMR\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    Random random = new Random(frames);
    byte[] payload = new byte[31];
    for (int i = 0; i < frames; i++) {
      random.nextBytes(payload);
      b.put((byte) 0x3C).put(payload);
    }
    return b.array();
  }

  /** MPEG-1 Layer III, 44.1 kHz, constant bitrate (a bitrate of the MPEG-1 table: 128, 320, …). */
  public static byte[] mp3(double seconds, int kbps) {
    int[] table = {0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320};
    int index = java.util.Arrays.binarySearch(table, kbps);
    if (index <= 0) {
      throw new IllegalArgumentException("not an MPEG-1 Layer III bitrate: " + kbps);
    }
    int frameLength = 144 * kbps * 1000 / 44100;
    int frames = (int) Math.ceil(seconds * 44100 / 1152);
    ByteBuffer b = ByteBuffer.allocate(frames * frameLength);
    Random random = new Random(frames);
    byte[] body = new byte[frameLength - 4];
    for (int i = 0; i < frames; i++) {
      // Payload bytes that cannot look like a frame sync, so the walk never resyncs inside one.
      random.nextBytes(body);
      for (int j = 0; j < body.length; j++) {
        body[j] &= 0x7F;
      }
      b.put((byte) 0xFF)
          .put((byte) 0xFB)
          .put((byte) (index << 4))
          .put((byte) 0x44)
          .put(body);
    }
    return b.array();
  }

  /** The duration {@link #mp3} gives for {@code seconds}, in whole frames. */
  public static long mp3Millis(double seconds) {
    long frames = (long) Math.ceil(seconds * 44100 / 1152);
    return frames * 1152 * 1000 / 44100;
  }

  /** ftyp, a minimal moov/mvhd, and a free box filling the file to exactly {@code size} bytes. */
  public static byte[] mp4(int size) {
    ByteBuffer head = ByteBuffer.allocate(32 + 8 + 108);
    head.putInt(32)
        .put(ascii("ftyp"))
        .put(ascii("isom"))
        .putInt(512)
        .put(ascii("isom"))
        .put(ascii("iso2"))
        .put(ascii("avc1"))
        .put(ascii("mp41"));
    head.putInt(8 + 108).put(ascii("moov"));
    head.putInt(108)
        .put(ascii("mvhd"))
        .putInt(0)
        .putInt(0)
        .putInt(0)
        .putInt(1000)
        .putInt(0)
        .putInt(0x00010000)
        .putShort((short) 0x0100);
    while (head.position() < head.capacity()) {
      head.put((byte) 0);
    }
    if (size < head.capacity() + 8) {
      throw new IllegalArgumentException(
          "an MP4 sample needs at least " + (head.capacity() + 8) + " bytes");
    }
    return padTo(head.array(), MediaFormat.MP4, size);
  }

  /** A file of exactly {@code size} bytes, still of {@code format} and (audio) of the same duration. */
  public static byte[] padTo(byte[] sample, MediaFormat format, long size) {
    int extra = Math.toIntExact(size - sample.length);
    if (extra < 0) {
      throw new IllegalArgumentException(
          "the sample is already " + sample.length + " bytes, over " + size);
    }
    byte[] out = new byte[Math.toIntExact(size)];
    switch (format) {
      case MP3 -> {
        if (extra < 10) {
          throw new IllegalArgumentException("an ID3 tag needs at least 10 bytes");
        }
        int body = extra - 10;
        byte[] header = {
          'I',
          'D',
          '3',
          3,
          0,
          0,
          (byte) ((body >> 21) & 0x7F),
          (byte) ((body >> 14) & 0x7F),
          (byte) ((body >> 7) & 0x7F),
          (byte) (body & 0x7F)
        };
        System.arraycopy(header, 0, out, 0, 10);
        System.arraycopy(sample, 0, out, extra, sample.length);
      }
      case MP4 -> {
        System.arraycopy(sample, 0, out, 0, sample.length);
        if (extra >= 8) {
          ByteBuffer.wrap(out, sample.length, 8).putInt(extra).put(ascii("free"));
        }
      }
      case AMR ->
        throw new UnsupportedOperationException(
            "AMR cannot be padded without adding frames; use mp3 for" + " size-exact voice files");
      default -> System.arraycopy(sample, 0, out, 0, sample.length);
    }
    return out;
  }

  public static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The ETag a download of these bytes carries: their size and CRC-32C in hex, computed here rather
   * than by the server's own code.
   */
  public static String etag(byte[] bytes) {
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(bytes);
    return String.format("\"%x-%08x\"", bytes.length, crc.getValue());
  }

  /** The checksum the server records with these bytes, as its trailer spells it. */
  public static String checksum(byte[] bytes) {
    java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
    crc.update(bytes);
    return String.format("crc32c:%08x", crc.getValue());
  }

  private static byte[] ascii(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  /** A 440 Hz sine tone of {@code seconds} as a 32 kbit/s MP3 in {@code dir}, made by the real ffmpeg. */
  public static byte[] sineMp3(java.nio.file.Path dir, int seconds)
      throws java.io.IOException, InterruptedException {
    java.nio.file.Path out = dir.resolve("sine-" + seconds + ".mp3");
    Process p = new ProcessBuilder(java.util.List.of(
            "ffmpeg",
            "-hide_banner",
            "-loglevel",
            "error",
            "-nostdin",
            "-y",
            "-f",
            "lavfi",
            "-i",
            "sine=frequency=440:duration=" + seconds,
            "-c:a",
            "libmp3lame",
            "-b:a",
            "32k",
            out.toString()))
        .redirectErrorStream(true)
        .start();
    String log =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new AssertionError("ffmpeg could not make a " + seconds + " s MP3: " + log);
    }
    return java.nio.file.Files.readAllBytes(out);
  }
}
