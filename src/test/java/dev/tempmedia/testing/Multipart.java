package dev.tempmedia.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Builds multipart/form-data bodies byte by byte, so tests can send exactly the edge case they mean. */
public final class Multipart {
  public static final String BOUNDARY = "----tempmediaTestBoundary7MA4YWxkTrZu0gW";
  private final String boundary;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  public Multipart() {
    this(BOUNDARY);
  }

  public Multipart(String boundary) {
    this.boundary = boundary;
  }

  public String boundary() {
    return boundary;
  }

  public String contentType() {
    return "multipart/form-data; boundary=" + boundary;
  }

  /** A file part named {@code media} with the usual headers. */
  public Multipart media(String filename, byte[] bytes) {
    return part(
        "Content-Disposition: form-data; name=\"media\"; filename=\"" + filename + "\"\r\n"
            + "Content-Type: application/octet-stream\r\n",
        bytes);
  }

  /** A part with exactly these header lines (each ending in CRLF) and bytes. */
  public Multipart part(String headerLines, byte[] bytes) {
    write(("--" + boundary + "\r\n").getBytes(StandardCharsets.US_ASCII));
    write(headerLines.getBytes(StandardCharsets.UTF_8));
    write("\r\n".getBytes(StandardCharsets.US_ASCII));
    write(bytes);
    write("\r\n".getBytes(StandardCharsets.US_ASCII));
    return this;
  }

  public Multipart raw(byte[] bytes) {
    write(bytes);
    return this;
  }

  public byte[] close() {
    write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  public byte[] unclosed() {
    return out.toByteArray();
  }

  private void write(byte[] b) {
    out.write(b, 0, b.length);
  }
}
