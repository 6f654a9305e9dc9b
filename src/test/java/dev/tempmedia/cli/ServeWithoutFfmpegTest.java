package dev.tempmedia.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server asked to deliver MP3 voices as AMR stops at start when ffmpeg is not there, and says what to install. */
class ServeWithoutFfmpegTest {
  @TempDir
  Path dir;

  @Test
  void classicRulesWithoutFfmpegStopAtStartNamingThePackages() throws Exception {
    assertThat(run("TEMPMEDIA_RULES", "classic-2013"))
        .contains("rules: classic-2013 delivers MP3 voices as AMR")
        .contains("apt-get install ffmpeg libavcodec-extra");
  }

  @Test
  void theTopLevelKeyAsksForAmrToo() throws Exception {
    assertThat(run("TEMPMEDIA_VOICE_MP3_DELIVERY", "amr"))
        .contains("voice.mp3Delivery is amr")
        .contains("apt-get install ffmpeg libavcodec-extra");
  }

  /** Runs {@code serve} with a PATH that holds no ffmpeg; answers its stderr once it has exited with 1. */
  private String run(String variable, String value) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    Path err = dir.resolve(variable + ".err");
    ProcessBuilder pb = new ProcessBuilder(List.of(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            Main.class.getName(),
            "serve",
            "--port",
            "0",
            "--data",
            dir.resolve(variable).toString()))
        .redirectError(err.toFile())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.environment().keySet().removeIf(k -> k.startsWith("TEMPMEDIA_"));
    pb.environment().put("PATH", dir.resolve("empty-bin") + File.pathSeparator + "/nonexistent");
    pb.environment().put(variable, value);
    Process p = pb.start();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("serve did not stop without ffmpeg");
    }
    String stderr = Files.readString(err, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(stderr).isEqualTo(1);
    return stderr;
  }
}
