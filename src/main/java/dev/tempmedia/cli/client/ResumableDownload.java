package dev.tempmedia.cli.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes a download to a file and, asked to, continues a partial one where it stopped, so that the
 * result is byte for byte what a single uninterrupted download would have written.
 *
 * <p>While a download is under way its ETag is kept next to the file ({@code FILE.part-etag}). A
 * resumed attempt asks for {@code Range: bytes=N-} guarded by {@code If-Range: <that ETag>}: the
 * server sends the rest (206) only if the media is still the one whose first N bytes are on disk,
 * and the whole of it (200) otherwise, and then the file is written again from the start. Without a
 * kept ETag (a file that another tool started, or a server that sends none) the range is asked for
 * alone: a media_id names one upload's bytes for its whole life, so the size is enough there. A
 * file that is already complete earns a 416 naming its length, and is left as it is.
 */
public final class ResumableDownload {
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
  private static final Pattern UNSATISFIED_RANGE = Pattern.compile("bytes \\*/(\\d+)");

  /** Opens the media with the given extra request headers. */
  @FunctionalInterface
  public interface Source {
    HttpResponse<InputStream> open(Map<String, String> headers) throws IOException, WeChatError;
  }

  private final Path file;
  private final Path etagFile;
  private final Progress progress;
  private final Duration stallLimit;

  /** @param stallLimit how long the body may go without a byte before the download gives up */
  public ResumableDownload(Path file, Progress progress, Duration stallLimit) {
    this.file = file;
    this.etagFile = etagFileOf(file);
    this.progress = progress;
    this.stallLimit = stallLimit;
  }

  /** Where the ETag of a download in progress is kept. */
  public static Path etagFileOf(Path file) {
    return file.resolveSibling(file.getFileName() + ".part-etag");
  }

  /**
   * Downloads into the file: from the start, or with {@code resume} from the end of what the file
   * already holds.
   *
   * @return the file's size once complete
   * @throws IOException when the transfer broke off (the file keeps what arrived) or the file
   *                     cannot be written
   */
  public long run(Source source, boolean resume) throws IOException, WeChatError {
    long have = resume && Files.isRegularFile(file) ? Files.size(file) : 0;
    if (have == 0) {
      return fromStart(source);
    }
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Range", "bytes=" + have + "-");
    keptEtag().ifPresent(etag -> headers.put("If-Range", etag));
    HttpResponse<InputStream> response = source.open(headers);
    switch (response.statusCode()) {
      case 206 -> {
        Matcher range =
            CONTENT_RANGE.matcher(response.headers().firstValue("Content-Range").orElse(""));
        if (!range.matches() || Long.parseLong(range.group(1)) != have) {
          // Not the rest of this file: rather than guess, take the whole again.
          discard(response);
          return fromStart(source);
        }
        long total = range.group(3).equals("*") ? -1 : Long.parseLong(range.group(3));
        return write(response, have, total);
      }
      case 416 -> {
        Matcher unsatisfied = UNSATISFIED_RANGE.matcher(
            response.headers().firstValue("Content-Range").orElse(""));
        discard(response);
        if (unsatisfied.matches() && Long.parseLong(unsatisfied.group(1)) == have) {
          Files.deleteIfExists(etagFile);
          progress.start(have, have);
          progress.finish();
          return have; // already complete
        }
        return fromStart(source); // the file on disk is longer than the media: not a prefix of it
      }
      case 200 -> {
        // The server sent the whole media: If-Range found a different ETag, or it ignores ranges.
        return write(response, 0, contentLength(response));
      }
      default -> throw unexpected(response);
    }
  }

  private long fromStart(Source source) throws IOException, WeChatError {
    HttpResponse<InputStream> response = source.open(Map.of());
    if (response.statusCode() != 200) {
      throw unexpected(response);
    }
    return write(response, 0, contentLength(response));
  }

  /** Writes the answer's body at {@code offset} (0: the file is emptied first). */
  private long write(HttpResponse<InputStream> response, long offset, long total)
      throws IOException {
    // The ETag goes to disk before the first byte, so whatever part of the body arrives can be
    // resumed.
    Optional<String> etag = response.headers().firstValue("ETag").filter(e -> !e.startsWith("W/"));
    if (etag.isPresent()) {
      Files.writeString(etagFile, etag.get(), StandardCharsets.US_ASCII);
    } else {
      Files.deleteIfExists(etagFile); // a weak or missing ETag cannot guard a range
    }
    StandardOpenOption mode =
        offset == 0 ? StandardOpenOption.TRUNCATE_EXISTING : StandardOpenOption.APPEND;
    long written = offset;
    progress.start(offset, total);
    try (InputStream in = response.body();
        OutputStream out =
            Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode);
        StallGuard guard = new StallGuard(in, stallLimit)) {
      byte[] buffer = new byte[64 * 1024];
      int n;
      while (true) {
        try {
          n = in.read(buffer);
        } catch (IOException e) {
          String why = guard.fired()
              ? "no data for " + stallLimit.toSeconds() + " s"
              : WeChatClient.reason(e, e.getClass().getSimpleName());
          throw new IOException(
              "the download broke off after " + written + (total > 0 ? " of " + total : "")
                  + " bytes (" + why + "); " + file
                  + " keeps them: run the same command with --resume to continue",
              e);
        }
        if (n < 0) {
          break;
        }
        guard.progressed();
        out.write(buffer, 0, n);
        written += n;
        progress.advance(n);
      }
    } finally {
      progress.finish();
    }
    if (total >= 0 && written != total) {
      throw new IOException("the download ended after " + written + " of " + total + " bytes; "
          + file + " keeps them: run the same command with --resume to continue");
    }
    Files.deleteIfExists(etagFile);
    return written;
  }

  private Optional<String> keptEtag() throws IOException {
    if (!Files.isRegularFile(etagFile)) {
      return Optional.empty();
    }
    String etag = Files.readString(etagFile, StandardCharsets.US_ASCII).strip();
    return etag.isEmpty() ? Optional.empty() : Optional.of(etag);
  }

  private static long contentLength(HttpResponse<?> response) {
    return response.headers().firstValueAsLong("Content-Length").orElse(-1);
  }

  private static void discard(HttpResponse<InputStream> response) throws IOException {
    response.body().close();
  }

  private static IOException unexpected(HttpResponse<InputStream> response) throws IOException {
    discard(response);
    return new IOException("unexpected answer to the download: HTTP " + response.statusCode());
  }
}
