package dev.tempmedia.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * What a test needs from outside the JVM: a program such as redis-server or chromium, or a setting
 * only the build makes. When it is missing the test is skipped with a message that says what to
 * install, so a developer's machine without it still runs the rest; with the environment variable
 * {@code CI=true} the same miss fails the test, so CI can never pass by skipping.
 */
public final class Prerequisites {
  /** Whether this run is CI's ({@code CI=true}, as {@code .ci/run} is started and as most CI services set). */
  public static final boolean CI = "true".equalsIgnoreCase(System.getenv("CI"));

  private Prerequisites() {}

  /**
   * The program {@code name}: the first of {@code preferred} that is executable, else the first match on
   * the {@code PATH}. Skips the test (fails it on CI) when there is none.
   *
   * @param install how to get it, for the message ("apt-get install redis-server")
   */
  public static Path require(String name, String install, Path... preferred) {
    List<Path> candidates = new ArrayList<>(List.of(preferred));
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (!dir.isEmpty()) {
        candidates.add(Path.of(dir, name));
      }
    }
    for (Path candidate : candidates) {
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw missing(name + " is not installed (" + install + "; .ci/run installs it)");
  }

  /**
   * The system property {@code name}, which the build sets for this test. Skips the test (fails it on CI)
   * when it is absent, as in a run from an IDE.
   */
  public static String requireProperty(String name, String setBy) {
    String value = System.getProperty(name);
    if (value == null || value.isBlank()) {
      throw missing("system property " + name + " is not set (" + setBy + ")");
    }
    return value;
  }

  /** Skips the running test with {@code reason}, or fails it on CI. Thrown, so callers write {@code throw missing(…)}. */
  public static RuntimeException missing(String reason) {
    if (CI) {
      throw new AssertionError(
          "CI=true, so a missing prerequisite fails instead of skipping: " + reason);
    }
    return Assumptions.abort("skipped: " + reason + " (with CI=true this fails)");
  }
}
