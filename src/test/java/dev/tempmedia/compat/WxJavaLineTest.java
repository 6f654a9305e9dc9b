package dev.tempmedia.compat;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Proves each run of the suite drove the WxJava release it was meant to. */
class WxJavaLineTest {
  @Test
  void theExpectedReleasesAreOnTheClassPath() {
    assertThat(WxJavaLine.version("weixin-java-mp")).isEqualTo(System.getProperty("wxjava.expected.mp"));
    assertThat(WxJavaLine.version("weixin-java-miniapp")).isEqualTo(System.getProperty("wxjava.expected.mp"));
    assertThat(WxJavaLine.version("weixin-java-cp")).isEqualTo(System.getProperty("wxjava.expected.cp"));
  }
}
