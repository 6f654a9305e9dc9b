package dev.tempmedia.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The JVM-wide properties {@code main} sets before anything runs: its defaults, and an operator's own
 * value (a {@code -D} on the command line) left as it is.
 */
class ProcessPropertiesTest {
  private static void check(String property, Runnable setDefault, String expectedDefault) {
    String before = System.getProperty(property);
    try {
      System.clearProperty(property);
      setDefault.run();
      assertThat(System.getProperty(property)).isEqualTo(expectedDefault);
      System.setProperty(property, "operator's");
      setDefault.run();
      assertThat(System.getProperty(property)).isEqualTo("operator's");
    } finally {
      restore(property, before);
    }
  }

  private static void restore(String property, String value) {
    if (value == null) {
      System.clearProperty(property);
    } else {
      System.setProperty(property, value);
    }
  }

  @Test
  void theJdkKeepsSixtyFourConnectionsPerHostForReuse() {
    check("http.maxConnections", Main::keepConnectionsForReuse, "64");
  }

  @Test
  void nettysFlightRecorderEventsAreOffUnlessAsked() {
    check("io.netty.jfr.enabled", Main::withoutNettyFlightRecorderEvents, "false");
  }
}
