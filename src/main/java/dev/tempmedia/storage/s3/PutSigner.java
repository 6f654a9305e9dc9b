package dev.tempmedia.storage.s3;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.services.s3.S3Utilities;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * Presigns the PUTs that carry an upload's bytes with the SDK's own SigV4 signer ({@link
 * AwsV4HttpSigner}), on a URL built from the bucket's object URL as the SDK's {@link S3Utilities}
 * addresses it (endpoint, path or virtual-host style): the same signature the SDK's {@code
 * S3Presigner} makes, without its per-request pipeline (the request's XML marshalling,
 * interceptors, auth-scheme and endpoint resolution), which was two thirds of an S3 upload's work
 * on the workers (docs/benchmarks.md, S3 mode).
 */
final class PutSigner {
  private final S3Utilities urls;
  private final AwsCredentialsProvider credentials;
  private final String region;
  private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
  /** Each bucket's object URL up to the key, as the SDK addresses it. */
  private final ConcurrentMap<String, String> bucketUrls = new ConcurrentHashMap<>();

  PutSigner(S3Utilities urls, AwsCredentialsProvider credentials, String region) {
    this.urls = urls;
    this.credentials = credentials;
    this.region = region;
  }

  /** A signed request: where to send it and the headers it was signed with (Host among them). */
  record SignedPut(URI url, Map<String, List<String>> signedHeaders) {}

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
    SdkHttpRequest.Builder request = SdkHttpRequest.builder()
        .method(SdkHttpMethod.PUT)
        .uri(URI.create(bucketUrl(bucket) + SdkHttpUtils.urlEncodeIgnoreSlashes(objectKey)));
    query.forEach(request::appendRawQueryParameter);
    headers.forEach(request::putHeader);
    SignedRequest signed = signer.sign(r -> r.identity(credentials.resolveCredentials())
        .request(request.build())
        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
        // S3's own rules, as the SDK's S3 signer sets them: the path is signed as sent.
        .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
        .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
        .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false)
        .putProperty(AwsV4HttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
        .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, lifetime));
    return new SignedPut(signed.request().getUri(), signed.request().headers());
  }

  private String bucketUrl(String bucket) {
    return bucketUrls.computeIfAbsent(bucket, b -> {
      String probe = urls.getUrl(g -> g.bucket(b).key("k")).toString();
      return probe.substring(0, probe.length() - 1);
    });
  }
}
