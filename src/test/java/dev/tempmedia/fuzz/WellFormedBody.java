package dev.tempmedia.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import dev.tempmedia.media.multipart.ParserInternals;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A multipart body built from fuzz data by the rules of RFC 2046, with the outcome a parser must
 * report for it: every part's headers and bytes exactly, or, when a part's header block is over the
 * parser's limit, a refusal right there. The optional variations are those the parser accepts:
 * preamble, epilogue, transport padding after a boundary, bare LF line ends, parts without headers,
 * and part data that contains anything but the delimiter itself.
 */
record WellFormedBody(byte[] bytes, ParseRecord.Outcome expected) {
  static final String HEADERS_TOO_LONG = "headers are longer";

  static WellFormedBody from(String boundary, FuzzedDataProvider data) {
    byte[] delimiter = Bytes.delimiter(boundary);
    byte[] dashBoundary = ("--" + boundary).getBytes(StandardCharsets.US_ASCII);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    List<ParseRecord.Part> parts = new ArrayList<>();

    byte[] preamble =
        data.consumeBoolean() ? data.consumeBytes(data.consumeInt(0, 40)) : new byte[0];
    // The body is read as if it began with CRLF, so a preamble may neither hold the delimiter nor
    // begin with the boundary line.
    if (Bytes.indexOf(preamble, delimiter) >= 0 || Bytes.startsWith(preamble, dashBoundary)) {
      preamble = new byte[0];
    }
    Bytes.write(body, preamble);
    Bytes.write(body, preamble.length > 0 ? delimiter : dashBoundary);

    int partCount = data.consumeInt(0, 4);
    for (int i = 0; i < partCount; i++) {
      Bytes.write(body, " \t".repeat(data.consumeInt(0, 2)));
      Bytes.write(body, lineEnd(data));
      Map<String, String> headers = new HashMap<>();
      int headerBytes = 0;
      int headerCount = data.consumeInt(0, 3);
      for (int h = 0; h < headerCount; h++) {
        String value = headerValue(data.consumeString(40));
        headers.put("x-field-" + h, value);
        headerBytes += Bytes.write(body, "X-Field-" + h + ": " + value + lineEnd(data));
      }
      if (data.consumeBoolean()) {
        String filler = "a".repeat(data.consumeInt(0, ParserInternals.MAX_HEADER_BYTES + 40));
        headers.put("x-filler", filler);
        headerBytes += Bytes.write(body, "X-Filler: " + filler + lineEnd(data));
      }
      headerBytes += Bytes.write(body, lineEnd(data));
      if (headerBytes > ParserInternals.MAX_HEADER_BYTES) {
        return new WellFormedBody(
            body.toByteArray(),
            new ParseRecord.Outcome(List.copyOf(parts), null, HEADERS_TOO_LONG));
      }
      byte[] partData =
          Bytes.withoutDelimiter(data.consumeBytes(data.consumeInt(0, 300)), delimiter);
      Bytes.write(body, partData);
      Bytes.write(body, delimiter);
      parts.add(ParseRecord.Part.of(headers, partData));
    }
    Bytes.write(body, "--");
    Bytes.write(
        body, data.consumeBoolean() ? data.consumeBytes(data.consumeInt(0, 40)) : new byte[0]);
    return new WellFormedBody(
        body.toByteArray(), new ParseRecord.Outcome(List.copyOf(parts), null, null));
  }

  private static String lineEnd(FuzzedDataProvider data) {
    return data.consumeBoolean() ? "\r\n" : "\n";
  }

  /**
   * A header value that reads back as written: no control characters (no line ends), no lone
   * surrogates (UTF-8 cannot carry them), no spaces at either end (the parser trims them).
   */
  private static String headerValue(String raw) {
    StringBuilder value = new StringBuilder();
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c >= 0x20 && c != 0x7F && !Character.isSurrogate(c)) {
        value.append(c);
      }
    }
    return value.toString().trim();
  }
}
