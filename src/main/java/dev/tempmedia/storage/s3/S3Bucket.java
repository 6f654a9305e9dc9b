package dev.tempmedia.storage.s3;

import dev.tempmedia.config.TempmediaConfig;
import java.net.URI;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.BucketLifecycleConfiguration;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.LifecycleRuleFilter;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Setting up the bucket media lives in: the client, the bucket (created when missing) and the
 * lifecycle rule that lets the store expire media by itself. Nothing here runs after start.
 */
record S3Bucket(S3Client s3, S3Presigner presigner, PutSigner putSigner, String name) {
  private static final Logger LOG = LoggerFactory.getLogger(S3Bucket.class);

  /**
   * Connects and makes sure the bucket is there, then asks it to expire what is under {@code prefix}
   * after {@code expireAfterDays} (0: no rule).
   */
  static S3Bucket open(TempmediaConfig.S3 config, String prefix, int expireAfterDays) {
    // One provider for the client, the presigner and the PUTs' signer: the default chain caches
    // what it resolved.
    AwsCredentialsProvider credentials = credentials(config);
    S3Client s3 = client(config, credentials);
    S3Bucket bucket = new S3Bucket(
        s3,
        presigner(config, credentials),
        new PutSigner(s3.utilities(), credentials, config.region()),
        config.bucket());
    try {
      bucket.ensureExists();
    } catch (RuntimeException e) {
      bucket.s3.close();
      bucket.presigner.close();
      throw new IllegalStateException(
          "cannot use S3 bucket '" + config.bucket() + "' at "
              + (config.endpoint() == null ? "AWS" : config.endpoint()) + ": " + e.getMessage()
              + " (check storage.s3.endpoint, credentials and that the store is running)",
          e);
    }
    if (expireAfterDays > 0) {
      bucket.tryLifecycleRule(prefix, expireAfterDays);
    }
    return bucket;
  }

  /** Signs GET URLs for the same endpoint, addressing and credentials as the client. */
  private static S3Presigner presigner(
      TempmediaConfig.S3 config, AwsCredentialsProvider credentials) {
    S3Presigner.Builder b = S3Presigner.builder()
        .region(Region.of(config.region()))
        .serviceConfiguration(
            S3Configuration.builder().pathStyleAccessEnabled(config.pathStyle()).build())
        .credentialsProvider(credentials);
    if (config.endpoint() != null && !config.endpoint().isBlank()) {
      b.endpointOverride(URI.create(config.endpoint()));
    }
    return b.build();
  }

  private static AwsCredentialsProvider credentials(TempmediaConfig.S3 config) {
    return config.accessKey() != null && !config.accessKey().isBlank()
        ? StaticCredentialsProvider.create(
            AwsBasicCredentials.create(config.accessKey(), config.secretKey()))
        : DefaultCredentialsProvider.builder().build();
  }

  private static S3Client client(TempmediaConfig.S3 config, AwsCredentialsProvider credentials) {
    S3ClientBuilder b = S3Client.builder()
        .httpClientBuilder(UrlConnectionHttpClient.builder()
            .connectionTimeout(Duration.ofSeconds(5))
            .socketTimeout(Duration.ofSeconds(60)))
        .region(Region.of(config.region()))
        .forcePathStyle(config.pathStyle())
        // The SDK's default CRC checksums are refused by many S3-compatible stores; send them only
        // where the API requires them.
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    if (config.endpoint() != null && !config.endpoint().isBlank()) {
      b.endpointOverride(URI.create(config.endpoint()));
    }
    return b.credentialsProvider(credentials).build();
  }

  private void ensureExists() {
    try {
      s3.headBucket(b -> b.bucket(name));
    } catch (NoSuchBucketException e) {
      create();
    } catch (S3Exception e) {
      if (e.statusCode() != 404) {
        throw e;
      }
      create();
    }
  }

  private void create() {
    s3.createBucket(b -> b.bucket(name));
    LOG.info("created S3 bucket {}", name);
  }

  /**
   * Expiry by the store itself where it supports lifecycle rules: objects under {@code prefix} after
   * {@code days}, and unfinished multipart uploads after 1. Stores without lifecycle support rely on
   * the sweep; a bucket that already has rules is left as its owner set it.
   */
  private void tryLifecycleRule(String prefix, int days) {
    try {
      try {
        if (!s3.getBucketLifecycleConfiguration(b -> b.bucket(name)).rules().isEmpty()) {
          return;
        }
      } catch (S3Exception noRules) {
        // NoSuchLifecycleConfiguration: go on and set ours.
      }
      LifecycleRule rule = LifecycleRule.builder()
          .id("tempmedia-expiry")
          .status(ExpirationStatus.ENABLED)
          .filter(LifecycleRuleFilter.builder().prefix(prefix).build())
          .expiration(e -> e.days(days))
          .abortIncompleteMultipartUpload(a -> a.daysAfterInitiation(1))
          .build();
      s3.putBucketLifecycleConfiguration(b -> b.bucket(name)
          .lifecycleConfiguration(
              BucketLifecycleConfiguration.builder().rules(rule).build()));
    } catch (SdkException e) {
      LOG.info(
          "S3 bucket {} takes no lifecycle rule ({}); the expiry sweep deletes expired media",
          name,
          e.getMessage());
    }
  }
}
