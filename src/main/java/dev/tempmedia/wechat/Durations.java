package dev.tempmedia.wechat;

/** How diagnoses speak of a span of time: short and rounded down, as a person would say it. */
public final class Durations {
  private Durations() {}

  /** "42 s", "17 min", "5 h". */
  public static String spoken(long seconds) {
    if (seconds < 120) {
      return seconds + " s";
    }
    if (seconds < 7200) {
      return (seconds / 60) + " min";
    }
    return (seconds / 3600) + " h";
  }
}
