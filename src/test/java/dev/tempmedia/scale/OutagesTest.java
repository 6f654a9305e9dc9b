package dev.tempmedia.scale;

import static dev.tempmedia.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tempmedia.testing.MediaSamples;
import dev.tempmedia.testing.RedisProcess;
import dev.tempmedia.testing.ScaledBackends;
import dev.tempmedia.testing.TestServer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What happens when S3 or Redis is missing at start, or goes away while serving. */
class OutagesTest {
  @TempDir
  Path data;

  @Test
  void anUnreachableRedisStopsTheStartWithAClearMessage() throws Exception {
    int deadPort = freePort();
    Map<String, String> flags = new HashMap<>(ScaledBackends.get().newServerFlags());
    flags.put("state.uri", "redis://127.0.0.1:" + deadPort + "/1");
    assertThatThrownBy(() -> new TestServer(data, flags))
        .hasMessageContaining("cannot reach Redis at redis://127.0.0.1:" + deadPort)
        .hasMessageContaining("check state.uri");
  }

  @Test
  void anUnreachableS3StopsTheStartWithAClearMessage() throws Exception {
    int deadPort = freePort();
    Map<String, String> flags = new HashMap<>(ScaledBackends.get().newServerFlags());
    flags.put("storage.s3.endpoint", "http://127.0.0.1:" + deadPort);
    assertThatThrownBy(() -> new TestServer(data, flags))
        .hasMessageContaining("cannot use S3 bucket")
        .hasMessageContaining("http://127.0.0.1:" + deadPort)
        .hasMessageContaining("storage.s3.endpoint");
  }

  @Test
  void redisGoingAwayAnswersSystemErrorAndTheServerRecoversByItself() throws Exception {
    try (RedisProcess redis = new RedisProcess()) {
      Map<String, String> flags = new HashMap<>(ScaledBackends.get().newServerFlags());
      flags.put("state.uri", redis.uri(0));
      try (TestServer server = new TestServer(data, flags)) {
        String token = server.token("official-account");
        redis.stop();
        Thread.sleep(1100); // past the cache's bound: every check needs Redis now
        assertThat(json(server.get("/cgi-bin/token?grant_type=client_credential&appid="
                    + TestServer.OA + "&secret=" + TestServer.OA_SECRET))
                .get("errcode")
                .asInt())
            .isEqualTo(-1);
        assertThat(json(server.upload(token, "image", "a.png", MediaSamples.png(4, 4)))
                .get("errcode")
                .asInt())
            .isEqualTo(-1);
        assertThat(server.get("/_tempmedia/health").statusCode()).isEqualTo(503);
        assertThat(json(server.get("/_tempmedia/health")).get("state").asText()).isNotEqualTo("ok");

        redis.start(); // an empty Redis: old tokens are gone, the server carries on
        long deadline = System.currentTimeMillis() + 15_000;
        while (server.get("/_tempmedia/health").statusCode() != 200
            && System.currentTimeMillis() < deadline) {
          Thread.sleep(100);
        }
        assertThat(server.get("/_tempmedia/health").statusCode()).isEqualTo(200);
        String again = server.token("official-account");
        assertThat(json(server.upload(again, "image", "a.png", MediaSamples.png(4, 4)))
                .has("media_id"))
            .isTrue();
      }
    }
  }

  @Test
  void s3GoingAwayAnswersSystemErrorAndTheServerRecoversByItself() throws Exception {
    int port = freePort();
    S3Proxy s3 = s3proxy(port);
    s3.start();
    awaitStarted(s3);
    Map<String, String> flags = new HashMap<>(ScaledBackends.get().newServerFlags());
    flags.put("storage.s3.endpoint", "http://127.0.0.1:" + port);
    try (TestServer server = new TestServer(data, flags)) {
      String token = server.token("official-account");
      byte[] small = MediaSamples.png(8, 8);
      String smallId =
          json(server.upload(token, "image", "s.png", small)).get("media_id").asText();
      String corp = server.token("wecom");
      byte[] large = MediaSamples.random((1 << 20) + 1, 9);
      String largeId =
          json(server.upload(corp, "file", "l.bin", large)).get("media_id").asText();
      assertThat(server.download(token, smallId).body()).isEqualTo(small);
      assertThat(server.download(corp, largeId).body()).isEqualTo(large);
      s3.stop();
      assertThat(json(server.upload(token, "image", "a.png", MediaSamples.png(4, 4)))
              .get("errcode")
              .asInt())
          .isEqualTo(-1);
      assertThat(server.get("/_tempmedia/health").statusCode()).isEqualTo(503);
      assertThat(server.download(token, smallId).body())
          .as("held in memory: served while S3 is away")
          .isEqualTo(small);
      HttpResponse<byte[]> relayed = server.download(corp, largeId);
      assertThat(relayed.headers().firstValue("Content-Type").orElse(""))
          .startsWith("application/json");
      assertThat(json(new String(relayed.body())).get("errcode").asInt())
          .as("over 1 MiB: relayed from S3, which is away")
          .isEqualTo(-1);

      s3 = s3proxy(port);
      s3.start();
      awaitStarted(s3);
      // A new, empty store: the bucket must exist again, as an operator would restore it.
      software.amazon.awssdk.services.s3.S3Client.builder()
          .endpointOverride(URI.create("http://127.0.0.1:" + port))
          .forcePathStyle(true)
          .region(software.amazon.awssdk.regions.Region.US_EAST_1)
          .credentialsProvider(
              software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                  software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(
                      ScaledBackends.ACCESS_KEY, ScaledBackends.SECRET_KEY)))
          .httpClientBuilder(
              software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder())
          .build()
          .createBucket(b -> b.bucket(flags.get("storage.s3.bucket")));
      assertThat(server.get("/_tempmedia/health").statusCode()).isEqualTo(200);
      byte[] png = MediaSamples.png(6, 6);
      String id =
          json(server.upload(token, "image", "a.png", png)).get("media_id").asText();
      assertThat(server.download(token, id).body()).isEqualTo(png);
    } finally {
      s3.stop();
    }
  }

  static S3Proxy s3proxy(int port) {
    return S3Proxy.builder()
        .blobStore(new TransientNio2BlobStore())
        .endpoint(URI.create("http://127.0.0.1:" + port))
        .awsAuthentication(
            AuthenticationType.AWS_V2_OR_V4, ScaledBackends.ACCESS_KEY, ScaledBackends.SECRET_KEY)
        .build();
  }

  static void awaitStarted(S3Proxy s3) throws InterruptedException {
    while (!"STARTED".equals(s3.getState())) {
      Thread.sleep(10);
    }
  }

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
