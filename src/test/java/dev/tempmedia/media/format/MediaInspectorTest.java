package dev.tempmedia.media.format;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tempmedia.testing.MediaSamples;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MediaInspectorTest {

  static Stream<Arguments> samples() {
    return Stream.of(
        Arguments.of("jpeg", MediaSamples.jpeg(40, 30), MediaFormat.JPEG, -1L),
        Arguments.of("png", MediaSamples.png(40, 30), MediaFormat.PNG, -1L),
        Arguments.of("gif", MediaSamples.gif(40, 30), MediaFormat.GIF, -1L),
        Arguments.of("bmp", MediaSamples.bmp(40, 30), MediaFormat.BMP, -1L),
        Arguments.of("mp4", MediaSamples.mp4(4096), MediaFormat.MP4, -1L),
        Arguments.of("amr 60 s", MediaSamples.amr(60), MediaFormat.AMR, 60_000L),
        Arguments.of("amr 1.5 s", MediaSamples.amr(1.5), MediaFormat.AMR, 1_500L),
        Arguments.of(
            "mp3 128k 10 s",
            MediaSamples.mp3(10, 128),
            MediaFormat.MP3,
            MediaSamples.mp3Millis(10)),
        Arguments.of(
            "mp3 320k 59 s",
            MediaSamples.mp3(59, 320),
            MediaFormat.MP3,
            MediaSamples.mp3Millis(59)),
        Arguments.of(
            "mp3 padded by ID3 to 2 MiB",
            MediaSamples.padTo(MediaSamples.mp3(50, 320), MediaFormat.MP3, 2 * 1024 * 1024),
            MediaFormat.MP3,
            MediaSamples.mp3Millis(50)),
        Arguments.of(
            "jpeg padded",
            MediaSamples.padTo(MediaSamples.jpeg(8, 8), MediaFormat.JPEG, 65536),
            MediaFormat.JPEG,
            -1L),
        Arguments.of(
            "text",
            "hello, this is plain text and not media".getBytes(StandardCharsets.UTF_8),
            MediaFormat.UNKNOWN,
            -1L),
        Arguments.of("empty", new byte[0], MediaFormat.UNKNOWN, -1L),
        Arguments.of("one 0xFF", new byte[] {(byte) 0xFF}, MediaFormat.UNKNOWN, -1L),
        Arguments.of(
            "BM then junk",
            "BMxxxxxxxxxxxxxxxxxxxxxxxxxxxx".getBytes(StandardCharsets.US_ASCII),
            MediaFormat.UNKNOWN,
            -1L),
        Arguments.of(
            "ID3 then junk",
            id3Then("junk junk junk".getBytes(StandardCharsets.US_ASCII)),
            MediaFormat.UNKNOWN,
            -1L),
        Arguments.of("random", MediaSamples.random(5000, 7), MediaFormat.UNKNOWN, -1L));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void detectsTheSameWhateverTheChunking(
      String name, byte[] bytes, MediaFormat format, long millis) {
    for (int mode = 0; mode < 3; mode++) {
      MediaInspector inspector = new MediaInspector();
      Random random = new Random(mode);
      int p = 0;
      while (p < bytes.length) {
        int n = switch (mode) {
          case 0 -> bytes.length;
          case 1 -> 1;
          default -> 1 + random.nextInt(700);
        };
        n = Math.min(n, bytes.length - p);
        inspector.update(ByteBuffer.wrap(bytes, p, n));
        p += n;
      }
      inspector.finish();
      assertThat(inspector.format()).as("%s, chunking %d", name, mode).isEqualTo(format);
      if (millis < 0) {
        assertThat(inspector.audioMillis()).isEqualTo(-1);
      } else {
        assertThat(inspector.audioMillis())
            .as("%s, chunking %d", name, mode)
            .isBetween(millis - 1, millis + 1);
      }
    }
  }

  @Test
  void mp3WithId3FooterAndTrailingId3v1Tag() {
    byte[] frames = MediaSamples.mp3(5, 128);
    byte[] tagBody = new byte[100];
    ByteBuffer b = ByteBuffer.allocate(10 + tagBody.length + 10 + frames.length + 128);
    b.put(new byte[] {'I', 'D', '3', 4, 0, 0x10, 0, 0, 0, (byte) tagBody.length})
        .put(tagBody)
        .put(new byte[] {'3', 'D', 'I', 4, 0, 0x10, 0, 0, 0, (byte) tagBody.length})
        .put(frames);
    byte[] v1 = new byte[128];
    v1[0] = 'T';
    v1[1] = 'A';
    v1[2] = 'G';
    b.put(v1);
    MediaInspector inspector = new MediaInspector();
    inspector.update(ByteBuffer.wrap(b.array()));
    inspector.finish();
    assertThat(inspector.format()).isEqualTo(MediaFormat.MP3);
    assertThat(inspector.audioMillis())
        .isBetween(MediaSamples.mp3Millis(5) - 1, MediaSamples.mp3Millis(5) + 1);
  }

  @Test
  void mpeg2LayerThreeAt22kHz() {
    // MPEG-2, Layer III, 64 kbps (index 8), 22.05 kHz: 72 * 64000 / 22050 = 208 bytes, 576 samples.
    int frames = 383; // ~10 s
    ByteBuffer b = ByteBuffer.allocate(frames * 208);
    for (int i = 0; i < frames; i++) {
      b.put((byte) 0xFF).put((byte) 0xF3).put((byte) 0x80).put((byte) 0xC4).put(new byte[204]);
    }
    MediaInspector inspector = new MediaInspector();
    inspector.update(ByteBuffer.wrap(b.array()));
    inspector.finish();
    assertThat(inspector.format()).isEqualTo(MediaFormat.MP3);
    assertThat(inspector.audioMillis())
        .isBetween(frames * 576L * 1000 / 22050 - 1, frames * 576L * 1000 / 22050 + 1);
  }

  @Test
  void decidesEarlyAndLeavesTheCallersBufferAlone() {
    byte[] png = MediaSamples.png(10, 10);
    ByteBuffer chunk = ByteBuffer.wrap(png, 0, 20);
    MediaInspector inspector = new MediaInspector();
    assertThat(inspector.decided()).isFalse();
    inspector.update(chunk);
    assertThat(chunk.position()).isZero();
    assertThat(chunk.limit()).isEqualTo(20);
    assertThat(inspector.decided()).isTrue();
    assertThat(inspector.format()).isEqualTo(MediaFormat.PNG);
  }

  @Test
  void shortInputStaysUndecidedUntilFinished() {
    MediaInspector inspector = new MediaInspector();
    inspector.update(ByteBuffer.wrap(new byte[] {(byte) 0x89, 'P'}));
    assertThat(inspector.decided()).isFalse();
    inspector.finish();
    assertThat(inspector.decided()).isTrue();
    assertThat(inspector.format()).isEqualTo(MediaFormat.UNKNOWN);
  }

  @Test
  void audioDurationGrowsWhileStreaming() {
    byte[] amr = MediaSamples.amr(61);
    MediaInspector inspector = new MediaInspector();
    inspector.update(ByteBuffer.wrap(amr, 0, 6 + 32 * 1500));
    assertThat(inspector.audioMillis()).isEqualTo(30_000);
    inspector.update(ByteBuffer.wrap(amr, 6 + 32 * 1500, amr.length - 6 - 32 * 1500));
    assertThat(inspector.audioMillis()).isEqualTo(61_000);
  }

  private static byte[] id3Then(byte[] rest) {
    ByteBuffer b = ByteBuffer.allocate(10 + 20 + rest.length);
    b.put(new byte[] {'I', 'D', '3', 3, 0, 0, 0, 0, 0, 20}).put(new byte[20]).put(rest);
    return b.array();
  }
}
