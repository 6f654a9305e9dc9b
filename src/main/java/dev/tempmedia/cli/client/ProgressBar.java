package dev.tempmedia.cli.client;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A one-line progress bar redrawn in place with a carriage return: {@code [=======>     ]  52%  5.2 MB / 10.0 MB}.
 * Only for a terminal: piped into a file, the carriage returns would leave a line per redraw. Redraws
 * at most ten times a second, since a terminal that is slower than the network would slow the
 * transfer down.
 */
public final class ProgressBar implements Progress {
  private static final int WIDTH = 30;
  private static final long REDRAW_NANOS = 100_000_000L;

  private final PrintWriter out;
  private final String label;
  private final LongSupplier nanoTime;
  private long done;
  private long total = -1;
  private long lastDraw;
  private boolean drawn;
  private int lastLength;

  public ProgressBar(PrintWriter out, String label) {
    this(out, label, System::nanoTime);
  }

  ProgressBar(PrintWriter out, String label, LongSupplier nanoTime) {
    this.out = out;
    this.label = label;
    this.nanoTime = nanoTime;
  }

  @Override
  public void start(long done, long total) {
    this.done = done;
    this.total = total;
    draw();
  }

  @Override
  public void advance(long bytes) {
    done += bytes;
    if (nanoTime.getAsLong() - lastDraw >= REDRAW_NANOS) {
      draw();
    }
  }

  @Override
  public void finish() {
    if (drawn) {
      draw();
      out.println();
      out.flush();
      drawn = false;
    }
  }

  private void draw() {
    lastDraw = nanoTime.getAsLong();
    String line = line();
    // Spaces over whatever a longer previous line left behind.
    String pad = " ".repeat(Math.max(0, lastLength - line.length()));
    lastLength = line.length();
    out.print("\r" + line + pad);
    out.flush();
    drawn = true;
  }

  String line() {
    if (total <= 0) {
      return label + " " + size(done);
    }
    long shown = Math.min(done, total);
    int filled = (int) (WIDTH * shown / total);
    StringBuilder bar = new StringBuilder(WIDTH + 2).append('[');
    for (int i = 0; i < WIDTH; i++) {
      bar.append(i < filled ? '=' : i == filled ? '>' : ' ');
    }
    bar.append(']');
    return String.format(
        Locale.ROOT,
        "%s %s %3d%%  %s / %s",
        label,
        bar,
        100 * shown / total,
        size(shown),
        size(total));
  }

  static String size(long bytes) {
    if (bytes < 1000) {
      return bytes + " B";
    }
    if (bytes < 1_000_000) {
      return String.format(Locale.ROOT, "%.1f kB", bytes / 1e3);
    }
    return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
  }
}
