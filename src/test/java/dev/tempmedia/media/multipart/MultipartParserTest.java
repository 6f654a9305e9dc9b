package dev.tempmedia.media.multipart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tempmedia.testing.MediaSamples;
import dev.tempmedia.testing.Multipart;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MultipartParserTest {
  record Part(PartHeaders headers, byte[] bytes) {}

  static final class Collector implements MultipartParser.Listener {
    final List<Part> parts = new ArrayList<>();
    PartHeaders current;
    ByteArrayOutputStream bytes;

    @Override
    public void partBegin(PartHeaders headers) {
      current = headers;
      bytes = new ByteArrayOutputStream();
    }

    @Override
    public void partData(ByteBuffer data) {
      byte[] b = new byte[data.remaining()];
      data.get(b);
      bytes.write(b, 0, b.length);
    }

    @Override
    public void partEnd() {
      parts.add(new Part(current, bytes.toByteArray()));
    }
  }

  static List<Part> parse(String boundary, byte[] body, int chunk) throws Exception {
    Collector c = new Collector();
    MultipartParser parser = new MultipartParser(boundary, c);
    Random random = new Random(chunk);
    for (int p = 0; p < body.length; ) {
      int n = chunk > 0 ? chunk : 1 + random.nextInt(97);
      n = Math.min(n, body.length - p);
      parser.feed(ByteBuffer.wrap(body, p, n));
      p += n;
    }
    parser.end();
    return c.parts;
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 7, 64, 4096, 1 << 20, 0})
  void partsComeOutByteIdenticalWhateverTheChunking(int chunk) throws Exception {
    byte[] file = MediaSamples.random(20_000, 3);
    // Data that nearly contains the delimiter tests the held-back match.
    byte[] tricky = ("x\r\n--" + Multipart.BOUNDARY.substring(0, 10) + "y\r\n\r\n--\r")
        .getBytes(StandardCharsets.US_ASCII);
    byte[] body = new Multipart()
        .part(
            "Content-Disposition: form-data; name=\"description\"\r\n",
            "hello".getBytes(StandardCharsets.UTF_8))
        .media("a.bin", file)
        .part("Content-Disposition: form-data; name=\"tricky\"\r\n", tricky)
        .close();
    List<Part> parts = parse(Multipart.BOUNDARY, body, chunk);
    assertThat(parts).hasSize(3);
    assertThat(parts.get(0).bytes()).asString().isEqualTo("hello");
    assertThat(parts.get(1).bytes()).isEqualTo(file);
    assertThat(parts.get(1).headers().get("content-type")).contains("application/octet-stream");
    assertThat(parts.get(2).bytes()).isEqualTo(tricky);
  }

  @Test
  void preambleAndEpilogueAreIgnored() throws Exception {
    byte[] body =
        ("this is a preamble\r\n--B\r\nContent-Disposition: form-data; name=\"media\"\r\n\r\nDATA\r\n--B--\r\n"
                + "epilogue text")
            .getBytes(StandardCharsets.US_ASCII);
    List<Part> parts = parse("B", body, 5);
    assertThat(parts).hasSize(1);
    assertThat(parts.get(0).bytes()).asString().isEqualTo("DATA");
  }

  @Test
  void rawUtf8HeadersAndBareLineFeeds() throws Exception {
    byte[] body =
        "--B\nContent-Disposition: form-data; name=\"media\"; filename=\"报告.pdf\"\n\nX\r\n--B--"
            .getBytes(StandardCharsets.UTF_8);
    List<Part> parts = parse("B", body, 3);
    assertThat(parts.get(0).headers().get("content-disposition"))
        .contains("form-data; name=\"media\"; filename=\"报告.pdf\"");
  }

  @Test
  void gb18030HeadersAreReadWhenNotUtf8() throws Exception {
    byte[] head = "--B\r\nContent-Disposition: form-data; name=\"media\"; filename=\""
        .getBytes(StandardCharsets.US_ASCII);
    byte[] name = "报告.pdf".getBytes(java.nio.charset.Charset.forName("GB18030"));
    byte[] tail = "\"\r\n\r\nX\r\n--B--".getBytes(StandardCharsets.US_ASCII);
    ByteBuffer b = ByteBuffer.allocate(head.length + name.length + tail.length)
        .put(head)
        .put(name)
        .put(tail);
    List<Part> parts = parse("B", b.array(), 0);
    assertThat(parts.get(0).headers().get("content-disposition").orElseThrow()).contains("报告.pdf");
  }

  @Test
  void emptyPartAndPartWithoutHeaders() throws Exception {
    byte[] body =
        "--B\r\n\r\n\r\n--B\r\nContent-Disposition: form-data; name=\"media\"\r\n\r\n\r\n--B--"
            .getBytes(StandardCharsets.US_ASCII);
    List<Part> parts = parse("B", body, 0);
    assertThat(parts).hasSize(2);
    assertThat(parts.get(0).headers().fields()).isEmpty();
    assertThat(parts.get(1).bytes()).isEmpty();
  }

  @Test
  void transportPaddingAfterTheBoundaryIsAllowed() throws Exception {
    byte[] body = "--B  \t\r\nContent-Disposition: form-data; name=\"media\"\r\n\r\nX\r\n--B--"
        .getBytes(StandardCharsets.US_ASCII);
    assertThat(parse("B", body, 1).get(0).bytes()).asString().isEqualTo("X");
  }

  @Test
  void brokenBodiesSayWhere() {
    assertThatThrownBy(
            () -> parse("B", "no boundary anywhere".getBytes(StandardCharsets.US_ASCII), 0))
        .isInstanceOf(MultipartException.class)
        .hasMessageContaining("no line with the boundary");
    assertThatThrownBy(() -> parse(
            "B",
            "--B\r\nContent-Disposition: x\r\n\r\nDATA".getBytes(StandardCharsets.US_ASCII),
            0))
        .isInstanceOf(MultipartException.class)
        .hasMessageContaining("before the closing boundary");
    assertThatThrownBy(
            () -> parse("B", "--B\r\nContent-Dispo".getBytes(StandardCharsets.US_ASCII), 0))
        .isInstanceOf(MultipartException.class)
        .hasMessageContaining("inside a part's headers");
    assertThatThrownBy(() -> parse("B", "--Bxyz\r\n".getBytes(StandardCharsets.US_ASCII), 0))
        .isInstanceOf(MultipartException.class)
        .hasMessageContaining("followed by text");
    assertThatThrownBy(() -> parse(
            "B", "--B\r\nno colon here\r\n\r\nX\r\n--B--".getBytes(StandardCharsets.US_ASCII), 0))
        .isInstanceOf(MultipartException.class)
        .hasMessageContaining("no name");
    assertThatThrownBy(() -> parse(
            "B",
            ("--B\r\nContent-Transfer-Encoding: base64\r\n\r\nX\r\n--B--")
                .getBytes(StandardCharsets.US_ASCII),
            0))
        .isInstanceOf(MultipartException.class)
        .hasMessageContaining("base64");
  }

  @Test
  void endlessHeadersAreCutOff() {
    String huge = "X-Filler: " + "a".repeat(MultipartParser.MAX_HEADER_BYTES) + "\r\n";
    assertThatThrownBy(() -> parse(
            "B", ("--B\r\n" + huge + "\r\nX\r\n--B--").getBytes(StandardCharsets.US_ASCII), 0))
        .isInstanceOf(MultipartException.class)
        .hasMessageContaining("headers are longer");
  }

  @Test
  void tooManyPartsAreRefused() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i <= MultipartParser.MAX_PARTS; i++) {
      b.append("--B\r\nContent-Disposition: form-data; name=\"f")
          .append(i)
          .append("\"\r\n\r\nv\r\n");
    }
    b.append("--B--");
    assertThatThrownBy(() -> parse("B", b.toString().getBytes(StandardCharsets.US_ASCII), 0))
        .isInstanceOf(MultipartException.class)
        .hasMessageContaining("more than");
  }

  @Test
  void boundariesFromContentType() {
    assertThat(Boundary.of("multipart/form-data; boundary=abc")).contains("abc");
    assertThat(Boundary.of("multipart/form-data; charset=UTF-8; boundary=abc")).contains("abc");
    assertThat(Boundary.of("Multipart/Form-Data;boundary=\"a b:c\"")).contains("a b:c");
    assertThat(Boundary.of("multipart/form-data")).isEmpty();
    assertThat(Boundary.of("application/json; boundary=abc")).isEmpty();
    assertThat(Boundary.of("multipart/form-data; boundary=" + "x".repeat(71))).isEmpty();
    assertThat(Boundary.of(null)).isEmpty();
  }
}
