package dev.tempmedia.console;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** Pictures that look like something in a screenshot, drawn by the JDK. */
final class Pictures {
  private Pictures() {}

  /** A landscape: sky, sun, two ranges of hills. */
  static byte[] landscape(int w, int h, String format) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setPaint(new GradientPaint(0, 0, new Color(0x5DA9E9), 0, h, new Color(0xFDE2B3)));
    g.fillRect(0, 0, w, h);
    g.setColor(new Color(0xFFD25A));
    g.fill(new Ellipse2D.Double(w * 0.68, h * 0.16, w * 0.14, w * 0.14));
    g.setColor(new Color(0x5E8C61));
    g.fill(new Polygon(
        new int[] {0, w / 4, w / 2, (int) (w * 0.8), w, w, 0},
        new int[] {
          (int) (h * 0.65),
          (int) (h * 0.38),
          (int) (h * 0.6),
          (int) (h * 0.34),
          (int) (h * 0.55),
          h,
          h
        },
        7));
    g.setColor(new Color(0x3B6B47));
    g.fill(new Polygon(
        new int[] {0, w / 3, (int) (w * 0.65), w, w, 0},
        new int[] {(int) (h * 0.8), (int) (h * 0.62), (int) (h * 0.82), (int) (h * 0.68), h, h},
        6));
    g.dispose();
    return encode(img, format);
  }

  /** A bar chart on white. */
  static byte[] chart(int w, int h, String format) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, w, h);
    int[] values = {40, 65, 52, 80, 95, 70};
    Color[] colors = {new Color(0x07A35A), new Color(0x2F80ED), new Color(0xF2994A)};
    int bar = w / (values.length * 2);
    for (int i = 0; i < values.length; i++) {
      int height = values[i] * (h - 40) / 100;
      g.setColor(colors[i % colors.length]);
      g.fillRoundRect(bar / 2 + i * bar * 2, h - 20 - height, bar, height, 8, 8);
    }
    g.setColor(new Color(0x9AA5B1));
    g.setStroke(new BasicStroke(2));
    g.drawLine(10, h - 20, w - 10, h - 20);
    g.dispose();
    return encode(img, format);
  }

  private static byte[] encode(BufferedImage img, String format) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(img, format, out)) {
        throw new IllegalStateException("no ImageIO writer for " + format);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
