package dev.tempmedia.storage.s3;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Sends an object's bytes (a whole small object, or one part of a large one) by a presigned PUT: the
 * request signed by {@link PutSigner} with a digest of the bytes among its signed headers, and sent
 * over kept-alive connections of the store's own ({@link PutConnections}).
 *
 * <p>Why not the SDK's {@code putObject}: over a plain-HTTP endpoint (a MinIO or S3Proxy inside the
 * network) its signer hashes every byte with SHA-256, per 64 KiB chunk, and its request pipeline
 * wraps the body in half a dozen streams: 44 % of an S3 upload's CPU in the benchmarks
 * (docs/benchmarks.md, S3 mode). The digest sent instead is a CRC-32C ({@code
 * x-amz-checksum-crc32c}, one CPU instruction per 8 bytes), which S3, MinIO and S3Proxy check: a body
 * damaged on the way is refused ({@code BadDigest}), as it was with the SDK. A store that refuses the
 * header itself gets {@code Content-MD5}, which every S3 store checks, from then on (about 300 MB/s,
 * a fifth of an upload's CPU at 64 KiB, hence not the first choice). Neither is a signature of the
 * bytes as the SDK's SHA-256 over plain HTTP was: on a network where someone may change traffic,
 * use an HTTPS endpoint (the SDK signs no payload over HTTPS either).
 */
final class PresignedPut implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PresignedPut.class);
  /** Only to send the request it was signed for, at once. */
  private static final Duration LIFETIME = Duration.ofMinutes(5);

  /** As the SDK's default retry policy: one try and two more. */
  static final int ATTEMPTS = 3;

  private static final long BACKOFF_MILLIS = 100;

  /** The error codes with which stores refuse a header they do not implement. */
  private static final Set<String> UNSUPPORTED =
      Set.of("InvalidArgument", "InvalidRequest", "NotImplemented");

  /** The digest of the bytes to sign in: exactly one of the two is set. */
  record Digest(String crc32c, String contentMd5) {}

  /** Signs the PUT with {@code digest} among its signed headers. */
  @FunctionalInterface
  interface Signing {
    PutSigner.SignedPut sign(PutSigner signer, Duration lifetime, Digest digest);
  }

  /** The PUT of a whole object (one that fits in one part), with its type and metadata. */
  static Signing object(
      String bucket, String objectKey, String contentType, Map<String, String> metadata) {
    return (signer, lifetime, digest) -> {
      Map<String, String> headers = new LinkedHashMap<>();
      headers.put("Content-Type", contentType);
      metadata.forEach((name, value) -> headers.put("x-amz-meta-" + name, value));
      return signer.sign(bucket, objectKey, Map.of(), withDigest(headers, digest), lifetime);
    };
  }

  /** The PUT of part {@code number} of the multipart upload {@code uploadId}. */
  static Signing part(String bucket, String objectKey, String uploadId, int number) {
    return (signer, lifetime, digest) -> signer.sign(
        bucket,
        objectKey,
        Map.of("partNumber", Integer.toString(number), "uploadId", uploadId),
        withDigest(new LinkedHashMap<>(), digest),
        lifetime);
  }

  private static Map<String, String> withDigest(Map<String, String> headers, Digest digest) {
    if (digest.crc32c() != null) {
      headers.put("x-amz-checksum-crc32c", digest.crc32c());
    }
    if (digest.contentMd5() != null) {
      headers.put("Content-MD5", digest.contentMd5());
    }
    return headers;
  }

  private final PutSigner signer;
  private final PutConnections connections;
  /** Cleared, once for the life of the store, when it refuses {@code x-amz-checksum-crc32c}. */
  private final AtomicBoolean crc32cTaken = new AtomicBoolean(true);

  PresignedPut(PutSigner signer) {
    this(signer, new PutConnections());
  }

  PresignedPut(PutSigner signer, PutConnections connections) {
    this.signer = signer;
    this.connections = connections;
  }

  /** Closes the connections to the store. */
  @Override
  public void close() {
    connections.close();
  }

  /**
   * Sends the readable bytes of {@code bytes} by the request {@code signing} makes; returns the
   * store's {@code ETag}. Blocking. {@code bytes} stays the caller's to release: each try sends a
   * view holding its own reference, so one still being written after this returns (an answer that
   * timed out) reads bytes that are still there.
   */
  String send(Signing signing, String objectKey, ByteBuf bytes) throws IOException {
    if (crc32cTaken.get()) {
      Answer answer = attempt(signing, new Digest(crc32c(bytes), null), bytes);
      if (!answer.refusesTheHeader()) {
        return answer.etagOr(objectKey);
      }
      if (crc32cTaken.getAndSet(false)) {
        LOG.warn(
            "the S3 store refused x-amz-checksum-crc32c ({}); uploads send Content-MD5 instead",
            answer.error());
      }
    }
    return attempt(signing, new Digest(null, md5(bytes)), bytes).etagOr(objectKey);
  }

  /** Whether uploads still send a CRC-32C (false once the store refused it). */
  boolean sendsCrc32c() {
    return crc32cTaken.get();
  }

  private record Answer(int status, String etag, String code, String error) {
    /** An error S3 asks to retry: an internal error, or throttling. */
    boolean busy() {
      return status == 500 || status == 503;
    }

    boolean refusesTheHeader() {
      return (status == 400 || status == 501) && UNSUPPORTED.contains(code);
    }

    String etagOr(String objectKey) throws IOException {
      if (status / 100 != 2) {
        throw new IOException("S3 PUT " + objectKey + " answered " + status + ": " + error);
      }
      return etag;
    }
  }

  /**
   * One request, tried again (at most {@link #ATTEMPTS} in all) when the exchange breaks before an
   * answer (a kept-alive connection the store closed just as it was reused, a reset, a stall
   * past the idle timeout) or when the store answers that it is busy (500, 503 {@code SlowDown}),
   * after a pause: what the SDK's default retries absorbed. A PUT of the same bytes under the same
   * key is idempotent, so sending it again is safe; any other answer is final.
   */
  private Answer attempt(Signing signing, Digest digest, ByteBuf bytes) throws IOException {
    PutSigner.SignedPut signed;
    try {
      signed = signing.sign(signer, LIFETIME, digest);
    } catch (SdkException e) {
      throw new IOException("an S3 PUT could not be signed: " + e.getMessage(), e);
    }
    IOException broken = null;
    for (int i = 0; i < ATTEMPTS; i++) {
      try {
        Answer answer = exchange(signed, bytes);
        if (!answer.busy() || i == ATTEMPTS - 1) {
          return answer;
        }
        pause(i);
      } catch (IOException e) {
        if (broken != null) {
          e.addSuppressed(broken);
        }
        broken = e;
      }
    }
    throw broken;
  }

  /** The SDK's backoff, without its jitter: 100 ms, then 200 ms. Blocking (a worker's). */
  private static void pause(int attempt) throws IOException {
    try {
      Thread.sleep(BACKOFF_MILLIS << attempt);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted before an S3 PUT was tried again");
    }
  }

  private Answer exchange(PutSigner.SignedPut signed, ByteBuf bytes) throws IOException {
    PutConnections.Answer answer = connections.put(
        signed.origin(), signed.target(), signed.signedHeaders(), bytes.retainedDuplicate());
    if (answer.status() / 100 == 2) {
      return new Answer(answer.status(), answer.etag(), "", "");
    }
    return refusal(answer.status(), answer.body());
  }

  /** The store's error code and message, from the XML body S3 answers with. */
  private static Answer refusal(int status, String body) {
    if (body.isEmpty()) {
      return new Answer(status, null, "", "(no body)");
    }
    String code = between(body, "<Code>", "</Code>");
    String message = between(body, "<Message>", "</Message>");
    String error = code.isEmpty() ? body.strip() : code + (message.isEmpty() ? "" : " " + message);
    return new Answer(status, null, code, error);
  }

  private static String between(String text, String open, String close) {
    int from = text.indexOf(open);
    int to = from < 0 ? -1 : text.indexOf(close, from + open.length());
    return to < 0 ? "" : text.substring(from + open.length(), to);
  }

  /** The checksum S3 defines for the header: the CRC's 4 bytes, big-endian, in base64. */
  static String crc32c(ByteBuf bytes) {
    CRC32C crc = new CRC32C();
    for (ByteBuffer piece : bytes.nioBuffers()) {
      crc.update(piece); // direct memory too, by the same instruction
    }
    return Base64.getEncoder()
        .encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  static String md5(ByteBuf bytes) {
    try {
      MessageDigest md5 = MessageDigest.getInstance("MD5");
      for (ByteBuffer piece : bytes.nioBuffers()) {
        md5.update(piece);
      }
      return Base64.getEncoder().encodeToString(md5.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is missing from this JVM", e);
    }
  }
}
