package dev.tempmedia.storage.s3;

import dev.tempmedia.io.Origin;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.services.s3.S3Utilities;

/**
 * Presigns the PUTs that carry an upload's bytes ({@link SigV4Presigning}) on the object URL the
 * SDK's {@link S3Utilities} gives for the bucket (endpoint, path or virtual-host style): the
 * signature the SDK's {@code S3Presigner} makes, without its per-request pipeline (the request's
 * XML marshalling, interceptors, auth-scheme and endpoint resolution), which was two thirds of an S3
 * upload's work on the workers, nor its signer's own per-request objects (docs/benchmarks.md, S3
 * mode).
 */
final class PutSigner {
  private final S3Utilities urls;
  private final AwsCredentialsProvider credentials;
  private final SigV4Presigning sigV4;
  private final Clock clock;
  /** Each bucket's object URL up to the key, as the SDK addresses it. */
  private final ConcurrentMap<String, BucketUrl> bucketUrls = new ConcurrentHashMap<>();

  PutSigner(S3Utilities urls, AwsCredentialsProvider credentials, String region) {
    this(urls, credentials, region, Clock.systemUTC());
  }

  /** With the clock that dates the signatures (a test's fixed one). */
  PutSigner(S3Utilities urls, AwsCredentialsProvider credentials, String region, Clock clock) {
    this.urls = urls;
    this.credentials = credentials;
    this.sigV4 = new SigV4Presigning(region, "s3");
    this.clock = clock;
  }

  /**
   * A signed request: where to send it ({@code origin}, and {@code target}, the path and query of
   * the request line) and the headers it was signed with (Host among them). Kept apart rather than
   * as one {@link URI}, whose parsing took as long as the signing.
   */
  record SignedPut(Origin origin, String target, Map<String, String> signedHeaders) {
    /** The whole URL, for logs and tests. */
    URI url() {
      return URI.create(
          (origin.https() ? "https://" : "http://") + signedHeaders.get("Host") + target);
    }
  }

  /**
   * Where a bucket's objects are: its origin, the Host header's value (the port only when it is not
   * the scheme's default) and the encoded path before the object's key.
   */
  private record BucketUrl(Origin origin, String host, String pathPrefix) {}

  /**
   * A PUT of {@code objectKey} in {@code bucket}, with {@code query} (raw values) and {@code headers}
   * signed in, valid for {@code lifetime}.
   */
  SignedPut sign(
      String bucket,
      String objectKey,
      Map<String, String> query,
      Map<String, String> headers,
      Duration lifetime) {
    BucketUrl base = bucketUrls.computeIfAbsent(bucket, this::bucketUrl);
    String path = base.pathPrefix() + SigV4Presigning.uriEncode(objectKey, true);
    AwsCredentials resolved = credentials.resolveCredentials();
    SigV4Presigning.Signed signed = sigV4.sign(
        "PUT",
        base.host(),
        path,
        query,
        headers,
        new SigV4Presigning.Identity(
            resolved.accessKeyId(),
            resolved.secretAccessKey(),
            resolved instanceof AwsSessionCredentials session ? session.sessionToken() : null),
        clock.instant(),
        lifetime);
    return new SignedPut(base.origin(), path + "?" + signed.query(), signed.headers());
  }

  /** The bucket's URL for a probe key, cut before the key. */
  private BucketUrl bucketUrl(String bucket) {
    URI probe = URI.create(urls.getUrl(g -> g.bucket(bucket).key("k")).toString());
    String rawPath = probe.getRawPath();
    boolean https = "https".equalsIgnoreCase(probe.getScheme());
    int port = probe.getPort();
    boolean standardPort = port == -1 || port == (https ? 443 : 80);
    String host = standardPort ? probe.getHost() : probe.getHost() + ":" + port;
    return new BucketUrl(Origin.of(probe), host, rawPath.substring(0, rawPath.length() - 1));
  }
}
