package dev.tempmedia.reliability;

import dev.tempmedia.media.format.MediaFormat;
import dev.tempmedia.testing.MediaSamples;
import dev.tempmedia.testing.Multipart;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** A real image to upload, with its digest and the ready-made form that carries it. */
record MediaSample(
    String filename, byte[] bytes, String sha256, byte[] form, String formContentType) {

  static MediaSample of(String filename, byte[] bytes) {
    Multipart form = new Multipart().media(filename, bytes);
    return new MediaSample(
        filename, bytes, MediaSamples.sha256(bytes), form.close(), form.contentType());
  }

  /**
   * {@code count} images whose sizes spread evenly on a log scale from {@code minBytes} to {@code maxBytes}
   * (many small ones, a few large, as real traffic has): mostly BMP, whose size follows its dimensions,
   * with every fifth a JPEG and every fifth a PNG, padded after their end marker to the size drawn.
   */
  static List<MediaSample> imagesOfVariedSizes(int count, int minBytes, int maxBytes, long seed) {
    Random random = new Random(seed);
    List<MediaSample> samples = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int target =
          (int) Math.round(minBytes * Math.pow((double) maxBytes / minBytes, random.nextDouble()));
      samples.add(
          switch (i % 5) {
            case 0 ->
              of(
                  "photo-" + i + ".jpg",
                  padded(MediaSamples.jpeg(200 + i, 150 + i), MediaFormat.JPEG, target));
            case 1 ->
              of(
                  "shot-" + i + ".png",
                  padded(MediaSamples.png(200 + i, 150 + i), MediaFormat.PNG, target));
            default -> of("scan-" + i + ".bmp", bmpOfAbout(target, i));
          });
    }
    return samples;
  }

  private static byte[] padded(byte[] image, MediaFormat format, int target) {
    return image.length >= target ? image : MediaSamples.padTo(image, format, target);
  }

  /** A 24-bit BMP as close to {@code target} bytes as whole rows allow (54-byte header, rows padded to 4). */
  private static byte[] bmpOfAbout(int target, int salt) {
    int width = 300 + salt * 7;
    int rowBytes = (width * 3 + 3) / 4 * 4;
    int height = Math.max(1, (target - 54) / rowBytes);
    return MediaSamples.bmp(width, height);
  }
}
