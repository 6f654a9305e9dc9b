package dev.tempmedia.cli.client;

import java.io.FileNotFoundException;
import java.net.URLConnection;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Flow;
import java.util.function.LongConsumer;

/**
 * A multipart/form-data body of one file part named {@code media}, as WeChat's upload takes it. The
 * file is streamed from disk between a small head and tail, so a 20 MB upload never sits in memory,
 * and the length is known up front: the request carries a Content-Length, by which the server
 * refuses an oversized file before storing a byte of it.
 */
public final class MultipartFile {
  /** The formats WeChat's media types take; the JDK's own table lacks AMR and is unsure of MP3. */
  private static final Map<String, String> CONTENT_TYPES = Map.of(
      "jpg",
      "image/jpeg",
      "jpeg",
      "image/jpeg",
      "png",
      "image/png",
      "gif",
      "image/gif",
      "bmp",
      "image/bmp",
      "amr",
      "audio/amr",
      "mp3",
      "audio/mpeg",
      "mp4",
      "video/mp4");

  private final String boundary;
  private final String contentType;
  private final BodyPublisher body;

  /**
   * @param fileName the name sent as the part's filename (WeCom shows it for a {@code file})
   * @throws FileNotFoundException when the file cannot be opened for reading
   */
  public MultipartFile(Path file, String fileName) throws FileNotFoundException {
    byte[] random = new byte[12];
    new SecureRandom().nextBytes(random);
    this.boundary = "----tempmedia" + HexFormat.of().formatHex(random);
    this.contentType = contentTypeOf(fileName);
    String head = "--" + boundary + "\r\n"
        + "Content-Disposition: form-data; name=\"media\"; filename=\"" + escape(fileName)
        + "\"\r\n"
        + "Content-Type: " + contentType + "\r\n\r\n";
    String tail = "\r\n--" + boundary + "--\r\n";
    this.body = BodyPublishers.concat(
        BodyPublishers.ofByteArray(head.getBytes(StandardCharsets.UTF_8)),
        BodyPublishers.ofFile(file),
        BodyPublishers.ofByteArray(tail.getBytes(StandardCharsets.US_ASCII)));
  }

  /** The request's Content-Type. */
  public String requestContentType() {
    return "multipart/form-data; boundary=" + boundary;
  }

  /** The body; {@code onBytes} hears of the bytes as the HTTP client takes them. */
  public BodyPublisher publisher(LongConsumer onBytes) {
    return new Counting(body, onBytes);
  }

  static String contentTypeOf(String fileName) {
    String lower = fileName.toLowerCase(Locale.ROOT);
    int dot = lower.lastIndexOf('.');
    String known = dot < 0 ? null : CONTENT_TYPES.get(lower.substring(dot + 1));
    if (known != null) {
      return known;
    }
    String guess = URLConnection.guessContentTypeFromName(lower);
    return guess != null ? guess : "application/octet-stream";
  }

  /**
   * The filename as browsers write it (the WHATWG form-data encoding): UTF-8 as is, and only the
   * three characters that would end the quoted string or the header percent-encoded.
   */
  static String escape(String fileName) {
    return fileName.replace("\"", "%22").replace("\r", "%0D").replace("\n", "%0A");
  }

  /** Passes the body through, counting each buffer as the client takes it. */
  private record Counting(BodyPublisher delegate, LongConsumer onBytes) implements BodyPublisher {
    @Override
    public long contentLength() {
      return delegate.contentLength();
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
      delegate.subscribe(new Flow.Subscriber<ByteBuffer>() {
        @Override
        public void onSubscribe(Flow.Subscription subscription) {
          subscriber.onSubscribe(subscription);
        }

        @Override
        public void onNext(ByteBuffer item) {
          int n = item.remaining();
          subscriber.onNext(item);
          onBytes.accept(n);
        }

        @Override
        public void onError(Throwable throwable) {
          subscriber.onError(throwable);
        }

        @Override
        public void onComplete() {
          subscriber.onComplete();
        }
      });
    }
  }
}
