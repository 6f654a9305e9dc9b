package dev.tempmedia.fuzz;

import dev.tempmedia.media.multipart.MultipartParser;
import dev.tempmedia.media.multipart.PartHeaders;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Everything a parser told its listener about one body, kept as plain values so that two parses can
 * be compared whole. It also refuses events out of order: data or an end outside a part, or a part
 * that begins inside another.
 */
final class ParseRecord implements MultipartParser.Listener {

  /** One part: its header fields and its bytes, held as ISO-8859-1 text (one char per byte). */
  record Part(Map<String, String> headers, String data) {
    static Part of(Map<String, String> headers, byte[] data) {
      return new Part(Map.copyOf(headers), new String(data, StandardCharsets.ISO_8859_1));
    }

    byte[] bytes() {
      return data.getBytes(StandardCharsets.ISO_8859_1);
    }
  }

  /**
   * The parts in order, the one still open when the parse stopped (or null), and the refusal
   * message (or null when the body was read to its end).
   */
  record Outcome(List<Part> parts, Part open, String refusal) {
    List<Part> allParts() {
      List<Part> all = new ArrayList<>(parts);
      if (open != null) {
        all.add(open);
      }
      return all;
    }
  }

  private final List<Part> parts = new ArrayList<>();
  private Map<String, String> headers;
  private ByteArrayOutputStream data;

  @Override
  public void partBegin(PartHeaders partHeaders) {
    if (headers != null) {
      throw new AssertionError("a part began inside another");
    }
    headers = partHeaders.fields();
    data = new ByteArrayOutputStream();
  }

  @Override
  public void partData(ByteBuffer slice) {
    if (headers == null) {
      throw new AssertionError("data outside a part");
    }
    // The slice is valid only during this call, so it is copied now; its position is left alone.
    ByteBuffer view = slice.duplicate();
    byte[] bytes = new byte[view.remaining()];
    view.get(bytes);
    data.write(bytes, 0, bytes.length);
  }

  @Override
  public void partEnd() {
    if (headers == null) {
      throw new AssertionError("a part ended that never began");
    }
    parts.add(Part.of(headers, data.toByteArray()));
    headers = null;
    data = null;
  }

  Outcome outcome(String refusal) {
    Part open = headers == null ? null : Part.of(headers, data.toByteArray());
    return new Outcome(List.copyOf(parts), open, refusal);
  }
}
