package dev.tempmedia.testing;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads series out of the Prometheus text {@code /metrics} answers. */
public final class PrometheusText {
  private PrometheusText() {}

  /** The value of {@code series} (its name with any labels, as printed); fails when it is absent. */
  public static double value(String text, String series) {
    Matcher m =
        Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$").matcher(text);
    if (!m.find()) {
      throw new AssertionError("no series " + series + " in:\n" + text);
    }
    return Double.parseDouble(m.group(1));
  }
}
