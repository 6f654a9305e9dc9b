package dev.tempmedia.media.byurl;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.tempmedia.auth.App;
import dev.tempmedia.auth.AppRegistry;
import dev.tempmedia.io.Json;
import dev.tempmedia.media.MediaService;
import dev.tempmedia.media.MediaUpload;
import dev.tempmedia.media.rules.MediaRule;
import dev.tempmedia.media.rules.MediaType;
import dev.tempmedia.state.StateStore;
import dev.tempmedia.storage.BlobMeta;
import dev.tempmedia.wechat.ErrorCode;
import dev.tempmedia.wechat.WeChatException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WeCom's {@code upload_by_url} (SPEC §12): a job per call, run in the background on threads of its
 * own. A job fetches its URL in ranges of at most {@value #CHUNK_BYTES} bytes, streaming each into the
 * same upload pipeline as a multipart upload (size, format, digest, durable commit), checks the MD5
 * and ends done with a media_id or failed with an errcode. Jobs live in the state store, so every
 * instance answers for them and a restart loses none: a job that was running when its server stopped
 * is fetched again from the start (its partial bytes were never committed) by the next server on the
 * same local state at once, or on Redis by whichever instance first sees its heartbeat go stale.
 */
public final class UploadByUrlService implements AutoCloseable {
  /** No single request may bring more than this: WeCom's 20 MB. */
  public static final long CHUNK_BYTES = 20L * 1024 * 1024;

  static final long STALE_MILLIS = 30_000;
  private static final long BEAT_MILLIS = 5_000;
  private static final long KEEP_MILLIS = 3L * 24 * 3600 * 1000;
  private static final int MAX_REDIRECTS = 5;
  private static final int MAX_RETRIES = 3;
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
  private static final Logger LOG = LoggerFactory.getLogger(UploadByUrlService.class);
  /** Job records written by a newer release may hold fields this one does not know. */
  private static final ObjectReader JOB_READER = Json.MAPPER
      .readerFor(UploadJob.class)
      .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final StateStore state;
  private final MediaService media;
  private final AppRegistry apps;
  private final AddressGuard guard;
  private final SecureRandom random = new SecureRandom();
  private final Set<String> running = ConcurrentHashMap.newKeySet();
  /** The connections being read, closed by {@link #close} so no runner stays blocked in a read. */
  private final Set<java.io.Closeable> connections = ConcurrentHashMap.newKeySet();

  private final ExecutorService runners;
  private volatile boolean closed;

  public UploadByUrlService(
      StateStore state,
      MediaService media,
      AppRegistry apps,
      boolean devMode,
      java.util.List<String> allowedHosts) {
    this(state, media, apps, AddressGuard.of(devMode, allowedHosts));
  }

  UploadByUrlService(StateStore state, MediaService media, AppRegistry apps, AddressGuard guard) {
    this.state = state;
    this.media = media;
    this.apps = apps;
    this.guard = guard;
    AtomicInteger n = new AtomicInteger();
    this.runners = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "tempmedia-byurl-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /** What a call asked for, checked by the route. */
  public record Request(MediaType type, String filename, String url, String md5) {}

  /** Stores a new running job and starts it; answers its id. Blocking (a state write). */
  public String submit(App app, Request request) {
    byte[] raw = new byte[18];
    random.nextBytes(raw);
    String id = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    long now = System.currentTimeMillis();
    UploadJob job = new UploadJob(
        1,
        id,
        app.id(),
        request.type().wireName(),
        request.filename(),
        request.url(),
        request.md5().toLowerCase(java.util.Locale.ROOT),
        UploadJob.RUNNING,
        0,
        "",
        "",
        0,
        now,
        now);
    put(job);
    start(job);
    return id;
  }

  /** A job of {@code app}'s, as the result route shows it; empty for an unknown id or another corp's. Blocking. */
  public Optional<Result> result(App app, String jobId) {
    return state
        .jobRecord(jobId)
        .map(UploadByUrlService::read)
        .filter(job -> job.appId().equals(app.id()))
        .map(job -> new Result(job.status(), job.errcode(), job.mediaId(), job.createdAt()));
  }

  /** @param errcode 0 unless failed; @param mediaId and @param createdAt when done */
  public record Result(int status, int errcode, String mediaId, long createdAt) {}

  /**
   * Takes up the running jobs nobody runs: all of them when this server is the only one on its state
   * ({@code exclusive}), else those whose heartbeat is stale; drops records older than 3 days.
   * Blocking.
   */
  public void resume(boolean exclusive) {
    long now = System.currentTimeMillis();
    state.jobRecords().forEach((id, text) -> {
      UploadJob job = read(text);
      if (now - job.submittedAt() > KEEP_MILLIS) {
        state.removeJobRecord(id);
      } else if (job.status() == UploadJob.RUNNING
          && !running.contains(id)
          && (exclusive || now - job.heartbeat() > STALE_MILLIS)) {
        LOG.info("upload_by_url job {} was left running; fetching it again from the start", id);
        put(job.beating(now));
        start(job);
      }
    });
  }

  private void start(UploadJob job) {
    if (closed || !running.add(job.id())) {
      return;
    }
    runners.execute(() -> {
      try {
        put(run(job));
      } catch (RuntimeException e) {
        if (!closed) {
          LOG.warn("upload_by_url job {} could not be recorded: {}", job.id(), e.toString());
        }
      } finally {
        running.remove(job.id());
      }
    });
  }

  /** Fetches, checks and stores; answers the job as it ended. */
  private UploadJob run(UploadJob job) {
    Optional<App> app = apps.find(job.appId());
    MediaRule rule = app.map(
            a -> media.endpoints(a).byUrl().get(MediaType.byWireName(job.type()).orElseThrow()))
        .orElse(null);
    if (rule == null) {
      return job.failed(
          ErrorCode.URL_FETCH_FAILED.code(),
          "the job's corp " + job.appId() + " no longer exists",
          now());
    }
    MediaUpload upload = media.begin(app.get(), rule);
    try {
      upload.startFile(job.filename());
      MessageDigest md5 = MessageDigest.getInstance("MD5");
      fetchInto(job, rule, upload, md5);
      upload.partEnd();
      String got = HexFormat.of().formatHex(md5.digest());
      if (!got.equalsIgnoreCase(job.md5())) {
        throw new WeChatException(
            ErrorCode.MD5_MISMATCH, "the file's MD5 is " + got + ", the call said " + job.md5());
      }
      BlobMeta meta = upload.finish();
      if (closed) {
        throw new IOException("the server is stopping");
      }
      upload.commit(meta);
      LOG.info("upload_by_url job {} done: {} bytes from {}", job.id(), meta.size(), job.url());
      return job.done(media.mediaIdOf(upload, app.get()), upload.id().createdAt(), now());
    } catch (WeChatException e) {
      upload.abort();
      LOG.info(
          "upload_by_url job {} failed with {}: {}", job.id(), e.error().code(), e.diagnosis());
      return job.failed(e.error().code(), e.diagnosis(), now());
    } catch (InterruptedException e) {
      upload.abort();
      Thread.currentThread().interrupt();
      throw new IllegalStateException(
          "stopped with the server; the job is taken up again at start");
    } catch (IOException | NoSuchAlgorithmException | RuntimeException e) {
      upload.abort();
      if (closed) {
        throw new IllegalStateException("stopped with the server", e);
      }
      LOG.warn("upload_by_url job {} failed: {}", job.id(), e.toString());
      return job.failed(ErrorCode.SYSTEM_ERROR.code(), "storing the file failed: " + e, now());
    }
  }

  /** The range loop: at most one chunk per request, resumed from the byte reached after a broken read. */
  private void fetchInto(UploadJob job, MediaRule rule, MediaUpload upload, MessageDigest md5)
      throws IOException, InterruptedException {
    URI uri = parse(job.url());
    long offset = 0;
    long total = -1;
    String validator = null;
    int failures = 0;
    long lastBeat = now();
    byte[] buffer = new byte[64 * 1024];
    while (total < 0 || offset < total) {
      if (closed) {
        throw new InterruptedException("the server is stopping");
      }
      long end = offset + CHUNK_BYTES - 1;
      if (total >= 0) {
        end = Math.min(end, total - 1);
      }
      RangeClient.Response response;
      try {
        response = request(uri, "bytes=" + offset + "-" + end, validator);
      } catch (IOException e) {
        failures = retryOrFail(failures, e);
        continue;
      }
      connections.add(response);
      try (response) {
        long[] range = checkedRange(response, offset, total);
        if (total < 0) {
          total = range[2];
          if (total < rule.minBytes() || total > rule.maxBytes()) {
            throw new WeChatException(
                ErrorCode.MEDIA_SIZE_OUT_OF_LIMIT,
                "the file is " + total + " bytes; upload_by_url takes " + rule.minBytes() + " B to "
                    + rule.maxBytes() + " B");
          }
          validator = strongValidator(response);
        }
        long left = range[1] - range[0] + 1;
        InputStream body = response.body();
        while (left > 0) {
          int n;
          try {
            n = body.read(buffer, 0, (int) Math.min(buffer.length, left));
          } catch (IOException broken) {
            failures = retryOrFail(failures, broken);
            break;
          }
          if (n < 0) {
            failures = retryOrFail(failures, new IOException("the answer ended early"));
            break;
          }
          md5.update(buffer, 0, n);
          upload.partData(ByteBuffer.wrap(buffer, 0, n));
          awaitDrained(upload);
          offset += n;
          left -= n;
          if (now() - lastBeat > BEAT_MILLIS) {
            lastBeat = now();
            put(job.beating(lastBeat));
          }
        }
      } finally {
        connections.remove(response);
      }
    }
  }

  /** [first, last, total] of a ranged answer, or the job's failure for any other answer. */
  private static long[] checkedRange(RangeClient.Response r, long offset, long total) {
    if (r.status() == 200) {
      if (offset > 0) {
        throw new WeChatException(
            ErrorCode.URL_FETCH_FAILED,
            "the file changed while it was fetched (a whole answer instead of bytes " + offset
                + "-)");
      }
      long length = r.contentLength();
      if (length > CHUNK_BYTES) {
        throw new WeChatException(
            ErrorCode.RANGE_TOO_LARGE,
            "the url answered the whole file of " + length + " bytes without Range; over "
                + CHUNK_BYTES + " bytes it must answer ranges (206)");
      }
      throw new WeChatException(
          ErrorCode.URL_INVALID,
          "the url does not support Range requests (it answered 200, not 206)");
    }
    if (r.status() == 416 && offset == 0 && "bytes */0".equals(r.header("content-range"))) {
      throw new WeChatException(ErrorCode.MEDIA_SIZE_OUT_OF_LIMIT, "the file is empty");
    }
    if (r.status() != 206) {
      throw new WeChatException(
          ErrorCode.URL_FETCH_FAILED,
          "the url answered HTTP " + r.status() + " to a Range request");
    }
    Matcher m = CONTENT_RANGE.matcher(String.valueOf(r.header("content-range")));
    if (!m.matches()) {
      throw new WeChatException(
          ErrorCode.URL_INVALID,
          "the ranged answer has no usable Content-Range (" + r.header("content-range") + ")");
    }
    if (m.group(3).equals("*")) {
      throw new WeChatException(
          ErrorCode.URL_INVALID, "the ranged answer does not say the file's length");
    }
    long first = Long.parseLong(m.group(1));
    long last = Long.parseLong(m.group(2));
    long size = Long.parseLong(m.group(3));
    if (last - first + 1 > CHUNK_BYTES) {
      throw new WeChatException(
          ErrorCode.RANGE_TOO_LARGE,
          "the url answered a range of " + (last - first + 1) + " bytes; at most " + CHUNK_BYTES
              + " were asked for");
    }
    if (first != offset || last < first || (total >= 0 && size != total)) {
      throw new WeChatException(
          ErrorCode.URL_FETCH_FAILED,
          "the url answered bytes " + first + "-" + last + "/" + size + " when " + offset
              + "- was asked for (or the file changed)");
    }
    return new long[] {first, last, size};
  }

  /** One request, following redirects, each target judged by the guard before it is contacted. */
  private RangeClient.Response request(URI uri, String range, String validator) throws IOException {
    URI target = uri;
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      InetAddress address = guard.check(RangeClient.hostOf(target));
      RangeClient.Response r = RangeClient.get(target, address, range, validator);
      String location = r.header("location");
      if (r.status() / 100 != 3 || location == null) {
        return r;
      }
      r.close();
      try {
        target = parse(target.resolve(location).toString());
      } catch (IllegalArgumentException e) {
        throw new WeChatException(
            ErrorCode.URL_INVALID, "the url redirects to an invalid location: " + location);
      }
    }
    throw new WeChatException(
        ErrorCode.URL_FETCH_FAILED, "the url redirects more than " + MAX_REDIRECTS + " times");
  }

  private static int retryOrFail(int failures, IOException e) throws InterruptedException {
    if (failures >= MAX_RETRIES) {
      throw new WeChatException(
          ErrorCode.URL_FETCH_FAILED,
          "the url could not be read after " + (MAX_RETRIES + 1) + " attempts: " + e.getMessage());
    }
    Thread.sleep(200L << failures);
    return failures + 1;
  }

  /** A strong ETag (or a Last-Modified) for If-Range: later ranges must come from the same file. */
  private static String strongValidator(RangeClient.Response r) {
    String etag = r.header("etag");
    if (etag != null && etag.startsWith("\"")) {
      return etag;
    }
    return null;
  }

  private static void awaitDrained(MediaUpload upload) throws InterruptedException {
    if (upload.backlogged()) {
      CountDownLatch drained = new CountDownLatch(1);
      upload.whenDrained(drained::countDown);
      if (!drained.await(60, TimeUnit.SECONDS)) {
        throw new WeChatException(ErrorCode.SYSTEM_ERROR, "storage took no bytes for 60 s");
      }
    }
  }

  /** An http(s) URL with a host, or 830001. */
  static URI parse(String url) {
    try {
      URI uri = new URI(url);
      String scheme =
          uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
        throw new WeChatException(
            ErrorCode.URL_INVALID, "the url must be an http or https URL with a host: " + url);
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new WeChatException(ErrorCode.URL_INVALID, "the url is not a valid URL: " + url);
    }
  }

  private void put(UploadJob job) {
    try {
      state.putJobRecord(job.id(), Json.MAPPER.writeValueAsString(job));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static UploadJob read(String text) {
    try {
      return JOB_READER.readValue(text);
    } catch (IOException e) {
      throw new UncheckedIOException("an upload_by_url job record is unreadable", e);
    }
  }

  private static long now() {
    return System.currentTimeMillis();
  }

  /** Stops the runners; running jobs stay running in the store and are taken up at the next start. */
  @Override
  public void close() {
    closed = true;
    runners.shutdownNow();
    for (java.io.Closeable c : connections) {
      try {
        c.close();
      } catch (IOException ignored) {
        // closing to wake the reader is all that matters
      }
    }
    try {
      runners.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
