package dev.tempmedia.compat;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Which WxJava release is on the class path (the suite runs twice: newest and an older line). */
final class WxJavaLine {
  private WxJavaLine() {}

  static String version() {
    return version("weixin-java-mp");
  }

  static String version(String artifact) {
    String resource = "/META-INF/maven/com.github.binarywang/" + artifact + "/pom.properties";
    try (InputStream in = WxJavaLine.class.getResourceAsStream(resource)) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
