package dev.tempmedia.media;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Encodes audio to a voice {@link Target}: AMR-NB (12.2 kbit/s, 8 kHz mono), whose
 * {@code libopencore_amrnb} encoder comes with Debian's {@code libavcodec-extra}, or the JS-SDK's HD
 * voice, Speex at 16 kHz mono in Ogg ({@code libspeex}), with {@code ffmpeg} run as a subprocess. Every
 * encoding runs on this class's own pool (one thread per core, a bounded queue), never on an event
 * loop or Vert.x's workers, and a process that outlives {@link #DEFAULT_TIMEOUT} is killed.
 */
public final class VoiceEncoder implements AutoCloseable {
  /** What to install when the encoder is missing. */
  public static final String INSTALL = "apt-get install ffmpeg libavcodec-extra";

  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);
  private static final String ENCODER = "libopencore_amrnb";
  private static final int QUEUE = 64;

  /** What an encoding makes: ffmpeg's output options, and the bytes its output must start with. */
  public enum Target {
    /** AMR-NB 12.2 kbit/s, 8 kHz mono: what WeChat's voice downloads are. */
    AMR("AMR", "#!AMR\n", "-ar", "8000", "-ac", "1", "-c:a", ENCODER, "-b:a", "12.2k", "-f", "amr"),
    /** Speex, 16 kHz mono, in an Ogg stream: the HD voice of {@code media/get/jssdk}. */
    SPEEX("Speex", "OggS", "-ar", "16000", "-ac", "1", "-c:a", "libspeex", "-f", "ogg");

    private final String label;
    private final byte[] magic;
    private final List<String> options;

    Target(String label, String magic, String... options) {
      this.label = label;
      this.magic = magic.getBytes(StandardCharsets.US_ASCII);
      this.options = List.of(options);
    }
  }

  private final String ffmpeg;
  private final Duration timeout;
  private final ExecutorService pool;

  VoiceEncoder(String ffmpeg, Duration timeout) {
    this.ffmpeg = ffmpeg;
    this.timeout = timeout;
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    AtomicInteger n = new AtomicInteger();
    ThreadPoolExecutor executor = new ThreadPoolExecutor(
        threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE), r -> {
          Thread t = new Thread(r, "tempmedia-voice-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    executor.allowCoreThreadTimeOut(true);
    this.pool = executor;
  }

  /** The {@code ffmpeg} on the PATH. */
  public static VoiceEncoder onPath() {
    return new VoiceEncoder("ffmpeg", DEFAULT_TIMEOUT);
  }

  /** Empty when ffmpeg runs and has the AMR-NB encoder; otherwise what is wrong and how to fix it. Blocking. */
  public Optional<String> unavailable() {
    Path out = null;
    try {
      out = Files.createTempFile("tempmedia-ffmpeg", ".txt");
      Process p = new ProcessBuilder(ffmpeg, "-hide_banner", "-encoders")
          .redirectErrorStream(true)
          .redirectOutput(out.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
          .start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        return Optional.of(ffmpeg + " -encoders did not answer within " + timeout.toSeconds()
            + " s; check the installation: " + INSTALL);
      }
      if (!Files.readString(out, StandardCharsets.ISO_8859_1).contains(ENCODER)) {
        return Optional.of(ffmpeg + " has no " + ENCODER
            + " encoder (Debian's ffmpeg gets it from libavcodec-extra); install it: " + INSTALL);
      }
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of(
          "ffmpeg is not installed (" + e.getMessage() + "); install it: " + INSTALL);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted while checking ffmpeg");
    } finally {
      deleteQuietly(out);
    }
  }

  /** Runs {@code task} on the encoder's pool; fails at once when the queue is full. */
  <T> CompletableFuture<T> submit(Callable<T> task) {
    CompletableFuture<T> result = new CompletableFuture<>();
    try {
      pool.execute(() -> {
        try {
          result.complete(task.call());
        } catch (Throwable e) {
          result.completeExceptionally(e);
        }
      });
    } catch (RejectedExecutionException e) {
      result.completeExceptionally(
          new IOException("the voice encoder is busy (" + QUEUE + " encodings queued)"));
    }
    return result;
  }

  /** How long one encoding may take before its process is killed. */
  Duration timeout() {
    return timeout;
  }

  /**
   * The audio in {@code input} (any format ffmpeg reads) as a {@code target} file. Blocking: call it
   * on the pool ({@link #submit}). Throws with ffmpeg's own words when it fails or takes too long.
   */
  byte[] encode(byte[] input, Target target) throws IOException {
    String what = target.label;
    Path in = null;
    Path out = null;
    Path log = null;
    try {
      in = Files.createTempFile("tempmedia-voice", ".in");
      out = Files.createTempFile("tempmedia-voice", ".out");
      log = Files.createTempFile("tempmedia-voice", ".log");
      Files.write(in, input);
      List<String> command = new java.util.ArrayList<>(List.of(
          ffmpeg,
          "-hide_banner",
          "-nostdin",
          "-loglevel",
          "error",
          "-y",
          "-threads",
          "1",
          "-i",
          in.toString(),
          "-vn"));
      command.addAll(target.options);
      command.add(out.toString());
      Process p = new ProcessBuilder(command)
          .redirectError(log.toFile())
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
      boolean exited;
      try {
        exited = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while encoding " + what, e);
      }
      if (!exited) {
        p.destroyForcibly();
        throw new IOException("ffmpeg took more than " + timeout.toSeconds() + " s to encode "
            + what + " and was killed");
      }
      if (p.exitValue() != 0) {
        throw new IOException("ffmpeg failed to encode " + what + " (exit " + p.exitValue() + "): "
            + tail(Files.readString(log, StandardCharsets.UTF_8)));
      }
      byte[] made = Files.readAllBytes(out);
      byte[] magic = target.magic;
      if (made.length <= magic.length
          || !java.util.Arrays.equals(made, 0, magic.length, magic, 0, magic.length)) {
        throw new IOException("ffmpeg wrote no " + what + " file (" + made.length + " bytes)");
      }
      return made;
    } finally {
      deleteQuietly(in);
      deleteQuietly(out);
      deleteQuietly(log);
    }
  }

  private static String tail(String text) {
    String t = text.strip();
    return t.length() <= 300 ? t : "…" + t.substring(t.length() - 300);
  }

  private static void deleteQuietly(Path path) {
    if (path != null) {
      try {
        Files.deleteIfExists(path);
      } catch (IOException ignored) {
        // A temporary file; the system's tmp cleaner gets it otherwise.
      }
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
