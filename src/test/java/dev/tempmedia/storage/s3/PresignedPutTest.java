package dev.tempmedia.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.tempmedia.testing.ScaledBackends;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.S3Utilities;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/** The presigned PUTs that carry an upload's bytes, against a real S3Proxy. */
class PresignedPutTest {

  S3Bucket bucket;
  PresignedPut puts;

  @BeforeEach
  void open() {
    bucket = S3Bucket.open(ScaledBackends.get().newBucket("presigned"), "media/", 0);
    puts = new PresignedPut(bucket.putSigner());
  }

  @AfterEach
  void close() {
    puts.close();
    if (bucket != null) {
      bucket.s3().close();
      bucket.presigner().close();
    }
  }

  static byte[] random(int size) {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    return bytes;
  }

  /** Sends {@code length} bytes of {@code bytes} as a heap buffer (an upload's own parts are direct). */
  static String send(
      PresignedPut puts, PresignedPut.Signing signing, String objectKey, byte[] bytes, int length)
      throws IOException {
    return puts.send(signing, objectKey, Unpooled.wrappedBuffer(bytes, 0, length));
  }

  /** A signer for a stand-in store on loopback (signing is local; the stand-in checks no signature). */
  static PutSigner signerAt(int port) {
    return new PutSigner(
        S3Utilities.builder()
            .region(Region.US_EAST_1)
            .endpoint(URI.create("http://127.0.0.1:" + port))
            .s3Configuration(
                S3Configuration.builder().pathStyleAccessEnabled(true).build())
            .build(),
        StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")),
        "us-east-1");
  }

  /** Answers {@code status} with {@code text} as the body (none when empty), then closes the exchange. */
  static void answer(com.sun.net.httpserver.HttpExchange exchange, int status, String text)
      throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  /**
   * The store checks the signature (S3Proxy with SigV4 authentication): a PUT signed with another
   * secret is refused and stores nothing, so the PUTs that are taken were signed as S3 signs them.
   */
  @Test
  void aPutSignedWithTheWrongSecretIsRefusedAndStoresNothing() throws Exception {
    try (PresignedPut forged = new PresignedPut(new PutSigner(
        bucket.s3().utilities(),
        StaticCredentialsProvider.create(
            AwsBasicCredentials.create(ScaledBackends.ACCESS_KEY, "not-the-secret")),
        bucket.s3().serviceClientConfiguration().region().id()))) {
      assertThatThrownBy(() -> send(
              forged,
              PresignedPut.object(bucket.name(), "media/forged", "image/jpeg", Map.of()),
              "media/forged",
              random(100),
              100))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("403");
    }
    assertThatThrownBy(
            () -> bucket.s3().getObjectAsBytes(b -> b.bucket(bucket.name()).key("media/forged")))
        .isInstanceOf(NoSuchKeyException.class);
  }

  @Test
  void theBytesTheirTypeAndMetadataArriveAndTheStoresEtagIsReturned() throws Exception {
    byte[] buffer = random(70_000); // only the first 65 536 are sent
    String etag = send(
        puts,
        PresignedPut.object(
            bucket.name(), "media/a", "image/jpeg", Map.of("tm-size", "65536", "tm-name", "a%20b")),
        "media/a",
        buffer,
        65_536);

    ResponseBytes<GetObjectResponse> stored =
        bucket.s3().getObjectAsBytes(b -> b.bucket(bucket.name()).key("media/a"));
    byte[] sent = Arrays.copyOf(buffer, 65_536);
    assertThat(stored.asByteArray()).isEqualTo(sent);
    assertThat(stored.response().contentType()).isEqualTo("image/jpeg");
    assertThat(stored.response().metadata())
        .containsEntry("tm-size", "65536")
        .containsEntry("tm-name", "a%20b");
    String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(sent));
    assertThat(etag).as("S3's ETag of a single PUT is its MD5").isEqualTo("\"" + md5 + "\"");
    assertThat(puts.sendsCrc32c()).as("the store took the CRC-32C").isTrue();
  }

  @Test
  void aPartGatheredInDirectChunksArrivesWholeAndStaysTheCallers() throws Exception {
    byte[] bytes = random(200_000); // four chunks, the last one part-filled
    PartBytes part = new PartBytes(ByteBufAllocator.DEFAULT, PartMemory.ofMegabytes(32));
    part.append(java.nio.ByteBuffer.wrap(bytes, 0, 1000));
    part.append(java.nio.ByteBuffer.wrap(bytes, 1000, 70_000));
    part.append(java.nio.ByteBuffer.wrap(bytes, 71_000, bytes.length - 71_000));
    ByteBuf body = part.retainedBody();
    try {
      assertThat(body.isDirect()).isTrue();
      puts.send(
          PresignedPut.object(bucket.name(), "media/chunks", "image/jpeg", Map.of()),
          "media/chunks",
          body);
      assertThat(body.refCnt())
          .as("the caller's reference is left to the caller")
          .isEqualTo(1);
      assertThat(body.readableBytes()).as("sending did not consume it").isEqualTo(bytes.length);
    } finally {
      body.release();
      part.release();
    }
    assertThat(bucket
            .s3()
            .getObjectAsBytes(b -> b.bucket(bucket.name()).key("media/chunks"))
            .asByteArray())
        .isEqualTo(bytes);
  }

  @Test
  void aBodyThatIsNotTheOneSignedIsRefusedAndNothingIsStored() {
    byte[] other = random(1000);
    PresignedPut.Signing signedForOther = (signer, lifetime, digest) -> PresignedPut.object(
            bucket.name(), "media/b", "image/jpeg", Map.of())
        .sign(
            signer,
            lifetime,
            new PresignedPut.Digest(
                PresignedPut.crc32c(Unpooled.wrappedBuffer(other, 0, 1000)), null));

    assertThatThrownBy(() -> send(puts, signedForOther, "media/b", random(999), 999))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("S3 PUT media/b answered 400")
        .hasMessageContaining("BadDigest");
    assertThatThrownBy(() -> bucket.s3().headObject(b -> b.bucket(bucket.name()).key("media/b")))
        .isInstanceOf(NoSuchKeyException.class);
    assertThat(puts.sendsCrc32c()).as("a damaged body is not a refused header").isTrue();
  }

  @Test
  void theStoresRefusalIsNamed() {
    assertThatThrownBy(() -> send(
            puts,
            PresignedPut.object("no-such-bucket", "media/c", "image/jpeg", Map.of()),
            "media/c",
            random(10),
            10))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("answered 404")
        .hasMessageContaining("NoSuchBucket");
  }

  @Test
  void partsOfAMultipartUploadGoTheSameWay() throws Exception {
    String id = bucket
        .s3()
        .createMultipartUpload(b -> b.bucket(bucket.name()).key("media/d"))
        .uploadId();
    byte[] first = random(5 * 1024 * 1024);
    byte[] last = random(1234);
    String etag1 = send(
        puts, PresignedPut.part(bucket.name(), "media/d", id, 1), "media/d", first, first.length);
    String etag2 = send(
        puts, PresignedPut.part(bucket.name(), "media/d", id, 2), "media/d", last, last.length);
    bucket
        .s3()
        .completeMultipartUpload(b -> b.bucket(bucket.name())
            .key("media/d")
            .uploadId(id)
            .multipartUpload(m ->
                m.parts(p -> p.partNumber(1).eTag(etag1), p -> p.partNumber(2).eTag(etag2))));

    byte[] stored = bucket
        .s3()
        .getObjectAsBytes(b -> b.bucket(bucket.name()).key("media/d"))
        .asByteArray();
    assertThat(stored).hasSize(first.length + last.length);
    assertThat(Arrays.copyOfRange(stored, first.length, stored.length)).isEqualTo(last);
  }

  /**
   * A stand-in store on loopback that reads each request and closes the connection without an
   * answer the first {@code cuts} times (as a kept-alive connection closed by the store just as it
   * is reused ends), then answers 200.
   */
  static final class CuttingStore implements AutoCloseable {
    final java.net.ServerSocket socket;
    final AtomicInteger requests = new AtomicInteger();
    final Thread thread;

    CuttingStore(int cuts) throws IOException {
      socket = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
      thread = new Thread(() -> {
        while (!socket.isClosed()) {
          try (java.net.Socket client = socket.accept()) {
            java.io.InputStream in = client.getInputStream();
            String head = readHead(in);
            int length =
                Integer.parseInt(head.replaceAll("(?is).*content-length: *(\\d+).*", "$1"));
            in.readNBytes(length);
            if (requests.incrementAndGet() > cuts) {
              client
                  .getOutputStream()
                  .write(("HTTP/1.1 200 OK\r\nETag: \"ok\"\r\n"
                          + "Content-Length: 0\r\nConnection: close\r\n\r\n")
                      .getBytes(StandardCharsets.US_ASCII));
            }
          } catch (IOException | RuntimeException e) {
            // closed by the test, or a cut: the next connection goes on
          }
        }
      });
      thread.start();
    }

    static String readHead(java.io.InputStream in) throws IOException {
      StringBuilder head = new StringBuilder();
      while (!head.toString().endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          throw new IOException("closed");
        }
        head.append((char) b);
      }
      return head.toString();
    }

    PutSigner signer() {
      return signerAt(socket.getLocalPort());
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  @Test
  void anExchangeCutBeforeItsAnswerIsSentAgain() throws Exception {
    try (CuttingStore store = new CuttingStore(PresignedPut.ATTEMPTS - 1);
        PresignedPut cut = new PresignedPut(store.signer())) {
      String etag = send(
          cut,
          PresignedPut.object("bucket", "media/f", "image/png", Map.of()),
          "media/f",
          random(100),
          100);
      assertThat(etag).isEqualTo("\"ok\"");
      assertThat(store.requests).hasValue(PresignedPut.ATTEMPTS);
    }
  }

  @Test
  void anExchangeCutEveryTimeFailsAfterItsAttempts() throws Exception {
    try (CuttingStore store = new CuttingStore(Integer.MAX_VALUE);
        PresignedPut puts = new PresignedPut(store.signer())) {
      assertThatThrownBy(() -> send(
              puts,
              PresignedPut.object("bucket", "media/g", "image/png", Map.of()),
              "media/g",
              random(100),
              100))
          .isInstanceOf(IOException.class);
      assertThat(store.requests).hasValue(PresignedPut.ATTEMPTS);
      assertThat(puts.sendsCrc32c()).as("a cut is not a refusal of the header").isTrue();
    }
  }

  @Test
  void aBusyStoreIsAskedAgainAndOtherErrorsAreFinal() throws Exception {
    AtomicInteger requests = new AtomicInteger();
    List<Integer> statuses = List.of(503, 500, 200, 403);
    HttpServer store = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    store.createContext("/", exchange -> {
      exchange.getRequestBody().readAllBytes();
      int status = statuses.get(Math.min(requests.getAndIncrement(), statuses.size() - 1));
      exchange.getResponseHeaders().add("ETag", "\"e" + status + "\"");
      answer(exchange, status, status == 200 ? "" : "<Error><Code>E" + status + "</Code></Error>");
    });
    store.start();
    try (PresignedPut busy = new PresignedPut(signerAt(store.getAddress().getPort()))) {
      PresignedPut.Signing signing =
          PresignedPut.object("bucket", "media/h", "image/png", Map.of());

      assertThat(send(busy, signing, "media/h", random(10), 10))
          .as("503, 500, then 200")
          .isEqualTo("\"e200\"");
      assertThat(requests).hasValue(3);
      assertThatThrownBy(() -> send(busy, signing, "media/h", random(10), 10))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("answered 403: E403");
      assertThat(requests).as("a 403 is not asked again").hasValue(4);
    } finally {
      store.stop(0);
    }
  }

  /**
   * A store that does not implement {@code x-amz-checksum-crc32c} (a stand-in on loopback: it
   * refuses the header as such stores do, and checks Content-MD5 as every S3 store does).
   */
  @Test
  void aStoreThatRefusesTheCrcHeaderGetsContentMd5FromThenOn() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    HttpServer store = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    store.createContext("/", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      String crc = exchange.getRequestHeaders().getFirst("x-amz-checksum-crc32c");
      String md5 = exchange.getRequestHeaders().getFirst("Content-MD5");
      seen.add(crc != null ? "crc32c" : md5 != null ? "md5" : "none");
      int status;
      String error = "";
      if (crc != null) {
        status = 400;
        error = "<Error><Code>InvalidArgument</Code><Message>x-amz-checksum-crc32c is not"
            + " supported</Message></Error>";
      } else if (md5 != null && md5.equals(PresignedPut.md5(Unpooled.wrappedBuffer(body)))) {
        status = 200;
        exchange.getResponseHeaders().add("ETag", "\"standin\"");
      } else {
        status = 400;
        error = "<Error><Code>BadDigest</Code></Error>";
      }
      answer(exchange, status, error);
    });
    store.start();
    try (PresignedPut old = new PresignedPut(signerAt(store.getAddress().getPort()))) {
      PresignedPut.Signing signing =
          PresignedPut.object("bucket", "media/e", "image/png", Map.of());

      assertThat(send(old, signing, "media/e", random(100), 100)).isEqualTo("\"standin\"");
      assertThat(old.sendsCrc32c()).isFalse();
      assertThat(send(old, signing, "media/e", random(200), 200)).isEqualTo("\"standin\"");
      assertThat(seen)
          .as("refused once, then Content-MD5 at once")
          .containsExactly("crc32c", "md5", "md5");
    } finally {
      store.stop(0);
    }
  }
}
