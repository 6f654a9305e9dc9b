package dev.tempmedia.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tempmedia.testing.Prerequisites;
import org.junit.jupiter.api.Test;

/**
 * Proves each run of the suite drove the WxJava release it was meant to. The expected releases come
 * from the build (surefire's system properties, one pair per run), so from an IDE it is skipped.
 */
class WxJavaLineTest {
  @Test
  void theExpectedReleasesAreOnTheClassPath() {
    String setBy =
        "the pom's surefire configuration sets it for each run of the compatibility suite";
    String mp = Prerequisites.requireProperty("wxjava.expected.mp", setBy);
    String cp = Prerequisites.requireProperty("wxjava.expected.cp", setBy);
    assertThat(WxJavaLine.version("weixin-java-mp")).isEqualTo(mp);
    assertThat(WxJavaLine.version("weixin-java-miniapp")).isEqualTo(mp);
    assertThat(WxJavaLine.version("weixin-java-cp")).isEqualTo(cp);
  }
}
