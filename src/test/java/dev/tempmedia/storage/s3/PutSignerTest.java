package dev.tempmedia.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.S3Utilities;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * The hand-written SigV4 of the upload PUTs against the SDK's own signer as the reference: the same
 * request signed by both at the same instant gives the same URL and headers, for the shapes the
 * uploads take and for the characters a key, a query value or a header may hold. That S3 takes the
 * signatures is {@link PresignedPutTest}'s part (S3Proxy checks them).
 */
class PutSignerTest {
  private static final Instant NOW = Instant.parse("2026-12-02T19:07:05Z");
  private static final Duration LIFETIME = Duration.ofMinutes(5);
  private static final AwsCredentialsProvider BASIC = StaticCredentialsProvider.create(
      AwsBasicCredentials.create("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"));

  @Test
  void aWholeObjectWithItsTypeMetadataAndChecksumIsSignedAsTheSdkSignsIt() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "image/jpeg");
    headers.put("x-amz-meta-tm-filename", "a%20b.jpg");
    headers.put("x-amz-meta-tm-size", "65536");
    headers.put("x-amz-checksum-crc32c", "yZRlqg==");
    assertSameAsTheSdk(
        pathStyle("http://127.0.0.1:9000"),
        BASIC,
        "us-east-1",
        "media",
        "tm/2026/12/02/18/0123456789abcdef",
        Map.of(),
        headers);
  }

  @Test
  void aPartWithItsQueryAndContentMd5IsSignedAsTheSdkSignsIt() {
    assertSameAsTheSdk(
        pathStyle("http://127.0.0.1:9000"),
        BASIC,
        "us-east-1",
        "media",
        "tm/a",
        Map.of("partNumber", "3", "uploadId", "a.b~c/d+e=f g%h"),
        Map.of("Content-MD5", "1B2M2Y8AsgTpgAmY7PhCfg=="));
  }

  @Test
  void keysWithReservedAndNonAsciiCharactersAreEncodedAsTheSdkEncodesThem() {
    for (String key : new String[] {
      "媒体/a b+c*d~e!f'(g).jpg", "x/../y//z", "percent%2Fsign", "semi;colon=eq&amp?q#h", "é"
    }) {
      assertSameAsTheSdk(
          pathStyle("http://127.0.0.1:9000"),
          BASIC,
          "us-east-1",
          "media",
          key,
          Map.of(),
          Map.of("Content-Type", "application/octet-stream"));
    }
  }

  @Test
  void headerValuesAreTrimmedAndTheirInnerRunsOfSpaceCollapsedAsTheSdkDoes() {
    assertSameAsTheSdk(
        pathStyle("http://127.0.0.1:9000"),
        BASIC,
        "us-east-1",
        "media",
        "k",
        Map.of(),
        Map.of("x-amz-meta-note", "  two  spaces\tand a tab  "));
  }

  @Test
  void temporaryCredentialsSignTheirSessionTokenIn() {
    AwsCredentialsProvider session = StaticCredentialsProvider.create(
        AwsSessionCredentials.create("ASIAEXAMPLE", "secret/with+signs", "FwoGZXIvYXdzE+/token=="));
    assertSameAsTheSdk(
        pathStyle("http://127.0.0.1:9000"),
        session,
        "us-east-1",
        "media",
        "k",
        Map.of(),
        Map.of("Content-Type", "image/png"));
  }

  @Test
  void aVirtualHostedBucketOnTheStandardHttpsPortIsSignedWithItsOwnHost() {
    S3Utilities aws = S3Utilities.builder().region(Region.EU_WEST_1).build();
    URI url = assertSameAsTheSdk(
        aws, BASIC, "eu-west-1", "my-media", "tm/k", Map.of(), Map.of("Content-Type", "image/png"));
    assertThat(url.getHost()).isEqualTo("my-media.s3.eu-west-1.amazonaws.com");
    assertThat(url.getPort()).isEqualTo(-1);
  }

  @Test
  void anHttpsEndpointOnItsOwnPortSignsThePortInTheHost() {
    assertSameAsTheSdk(
        pathStyle("https://store.internal:8443"),
        BASIC,
        "cn-north-1",
        "media",
        "k",
        Map.of(),
        Map.of("Content-Type", "image/png"));
  }

  @Test
  void theSigningKeyOfOneDayIsNotUsedTheNext() {
    PutSigner signer = new PutSigner(
        pathStyle("http://127.0.0.1:9000"), BASIC, "us-east-1", Clock.fixed(NOW, ZoneOffset.UTC));
    PutSigner nextDay = new PutSigner(
        pathStyle("http://127.0.0.1:9000"),
        BASIC,
        "us-east-1",
        Clock.fixed(NOW.plus(Duration.ofDays(1)), ZoneOffset.UTC));
    signer.sign("media", "k", Map.of(), Map.of(), LIFETIME); // the first day's key, remembered
    SigV4Presigning shared = new SigV4Presigning("us-east-1", "s3");
    SigV4Presigning.Identity who = new SigV4Presigning.Identity(
        "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", null);
    String today =
        shared.sign("PUT", "h", "/k", Map.of(), Map.of(), who, NOW, LIFETIME).query();
    String tomorrow = shared
        .sign("PUT", "h", "/k", Map.of(), Map.of(), who, NOW.plus(Duration.ofDays(1)), LIFETIME)
        .query();
    assertThat(signature(tomorrow)).isNotEqualTo(signature(today));
    assertThat(signature(tomorrow))
        .isEqualTo(signature(new SigV4Presigning("us-east-1", "s3")
            .sign("PUT", "h", "/k", Map.of(), Map.of(), who, NOW.plus(Duration.ofDays(1)), LIFETIME)
            .query()));
    assertThat(nextDay.sign("media", "k", Map.of(), Map.of(), LIFETIME).url().getRawQuery())
        .contains("X-Amz-Date=20261203T190705Z");
  }

  @Test
  void aLifetimeBeyondSevenDaysIsRefused() {
    PutSigner signer = new PutSigner(pathStyle("http://127.0.0.1:9000"), BASIC, "us-east-1");
    assertThatThrownBy(() -> signer.sign("media", "k", Map.of(), Map.of(), Duration.ofDays(8)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at most 7 days");
  }

  private static String signature(String query) {
    return query.substring(query.indexOf("X-Amz-Signature=") + "X-Amz-Signature=".length());
  }

  private static S3Utilities pathStyle(String endpoint) {
    return S3Utilities.builder()
        .region(Region.US_EAST_1)
        .endpoint(URI.create(endpoint))
        .s3Configuration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
        .build();
  }

  /** Signs with both; expects the same path, the same query parameters and the same headers. */
  private static URI assertSameAsTheSdk(
      S3Utilities urls,
      AwsCredentialsProvider credentials,
      String region,
      String bucket,
      String key,
      Map<String, String> query,
      Map<String, String> headers) {
    PutSigner.SignedPut ours = new PutSigner(
            urls, credentials, region, Clock.fixed(NOW, ZoneOffset.UTC))
        .sign(bucket, key, query, headers, LIFETIME);

    String probe = urls.getUrl(g -> g.bucket(bucket).key("k")).toString();
    SdkHttpRequest.Builder request = SdkHttpRequest.builder()
        .method(SdkHttpMethod.PUT)
        .uri(URI.create(
            probe.substring(0, probe.length() - 1) + SdkHttpUtils.urlEncodeIgnoreSlashes(key)));
    query.forEach(request::appendRawQueryParameter);
    headers.forEach(request::putHeader);
    SignedRequest theirs = AwsV4HttpSigner.create()
        .sign(r -> r.identity(credentials.resolveCredentials())
            .request(request.build())
            .putProperty(AwsV4HttpSigner.REGION_NAME, region)
            .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
            .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
            .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
            .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false)
            .putProperty(
                AwsV4HttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
            .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, LIFETIME)
            .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(NOW, ZoneOffset.UTC)));
    URI sdkUrl = theirs.request().getUri();

    assertThat(ours.url().getScheme()).isEqualTo(sdkUrl.getScheme());
    assertThat(ours.url().getRawAuthority()).isEqualTo(sdkUrl.getRawAuthority());
    assertThat(ours.url().getRawPath()).as("the path of %s", key).isEqualTo(sdkUrl.getRawPath());
    assertThat(parameters(ours.url())).as("the query of %s", key).isEqualTo(parameters(sdkUrl));
    Map<String, String> sdkHeaders = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    theirs.request().headers().forEach((name, values) -> sdkHeaders.put(name, values.get(0)));
    Map<String, String> ourHeaders = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    ourHeaders.putAll(ours.signedHeaders());
    assertThat(ourHeaders).isEqualTo(sdkHeaders);
    return ours.url();
  }

  /** The raw query's parameters (name to encoded value), in name order. */
  private static Map<String, String> parameters(URI url) {
    Map<String, String> parameters = new TreeMap<>();
    for (String pair : url.getRawQuery().split("&")) {
      int eq = pair.indexOf('=');
      parameters.put(pair.substring(0, eq), pair.substring(eq + 1));
    }
    return parameters;
  }
}
