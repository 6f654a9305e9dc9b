// The cost of signing one S3 upload PUT, apart from any HTTP traffic (docs/benchmarks.md, "S3 mode"):
// tempmedia's signer (s3.PutSigner over s3.SigV4Presigning) against the SDK's AwsV4HttpSigner with
// the properties it was called with before, plus the URI that request was sent as. Same request:
// a 64 KiB upload's headers (type, the six tm- metadata, the CRC-32C) on a path-style endpoint.
//   ./mvnw -o -q dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
//   java -cp target/classes:$(cat /tmp/cp.txt) bench/SignCost.java
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.S3Utilities;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

public class SignCost {
  interface Signing {
    int sign(String key) throws Exception;
  }

  public static void main(String[] args) throws Exception {
    S3Utilities urls = S3Utilities.builder()
        .region(Region.US_EAST_1)
        .endpoint(URI.create("http://127.0.0.1:9000"))
        .s3Configuration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
        .build();
    AwsCredentialsProvider credentials =
        StaticCredentialsProvider.create(AwsBasicCredentials.create("tempmedia", "tempmedia-secret"));
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "image/jpeg");
    headers.put("x-amz-meta-tm-type", "image");
    headers.put("x-amz-meta-tm-format", "jpg");
    headers.put("x-amz-meta-tm-filename", "photo.jpg");
    headers.put("x-amz-meta-tm-size", "65536");
    headers.put("x-amz-meta-tm-checksum", "crc32c:1a2b3c4d");
    headers.put("x-amz-meta-tm-created-at", "1796238425000");
    headers.put("x-amz-checksum-crc32c", "yZRlqg==");
    Duration lifetime = Duration.ofMinutes(5);

    // The package-private signer, reached by reflection (a source program loads in its own loader).
    Class<?> type = Class.forName("dev.tempmedia.storage.s3.PutSigner");
    Constructor<?> make =
        type.getDeclaredConstructor(S3Utilities.class, AwsCredentialsProvider.class, String.class);
    make.setAccessible(true);
    Object ours = make.newInstance(urls, credentials, "us-east-1");
    Method sign = type.getDeclaredMethod(
        "sign", String.class, String.class, Map.class, Map.class, Duration.class);
    sign.setAccessible(true);
    Signing tempmedia = key -> sign.invoke(ours, "media", key, Map.of(), headers, lifetime).hashCode();

    AwsV4HttpSigner sdk = AwsV4HttpSigner.create();
    String probe = urls.getUrl(g -> g.bucket("media").key("k")).toString();
    String bucketUrl = probe.substring(0, probe.length() - 1);
    Signing theSdks = key -> {
      SdkHttpRequest.Builder request = SdkHttpRequest.builder()
          .method(SdkHttpMethod.PUT)
          .uri(URI.create(bucketUrl + SdkHttpUtils.urlEncodeIgnoreSlashes(key)));
      headers.forEach(request::putHeader);
      var signed = sdk.sign(r -> r.identity(credentials.resolveCredentials())
          .request(request.build())
          .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
          .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
          .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
          .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
          .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false)
          .putProperty(AwsV4HttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
          .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, lifetime));
      URI sent = signed.request().getUri(); // the URI the PUT was sent as
      return sent.getRawQuery().length() + signed.request().headers().size();
    };

    long sink = 0;
    for (int round = 0; round < 7; round++) {
      for (String name : new String[] {"the SDK's AwsV4HttpSigner", "tempmedia's PutSigner"}) {
        Signing signing = name.startsWith("the SDK") ? theSdks : tempmedia;
        int n = 100_000;
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
          sink += signing.sign("media/image/2026/12/02/19/0123456789abcdef" + i);
        }
        long t1 = System.nanoTime();
        System.out.printf("round %d: %.2f µs per PUT signed, %s%n", round, (t1 - t0) / 1e3 / n, name);
      }
    }
    System.out.println(sink);
  }
}
