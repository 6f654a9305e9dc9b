package dev.tempmedia.cloud;

import dev.tempmedia.http.semantics.ContentDisposition;
import dev.tempmedia.media.multipart.MultipartException;
import dev.tempmedia.media.multipart.MultipartParser;
import dev.tempmedia.media.multipart.PartHeaders;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The multipart form of {@code POST /tcb/admin}, read as it arrives with the project's own
 * {@link MultipartParser}: every field's bytes by name, at most {@code maxBytes} in all, so an
 * oversized request is refused at the first byte past the cap, before anything is decoded or stored.
 * {@code @cloudbase/node-sdk} sends every parameter as a field ({@code action}, {@code apiName},
 * {@code requestData} as an octet-stream part, {@code envName}, token fields; dist/utils/
 * tcbapirequester.js makeParams and makeReqOpts, {@code formData = params}).
 */
public final class TcbForm implements MultipartParser.Listener {
  private final long maxBytes;
  private final Map<String, byte[]> fields = new LinkedHashMap<>();
  private final Map<String, Boolean> binary = new LinkedHashMap<>();
  private String name;
  private boolean file;
  private ByteArrayOutputStream current;
  private long total;

  public TcbForm(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** A whole body at once (tests, the fuzz target). */
  public static TcbForm parse(String boundary, byte[] body, long maxBytes) {
    TcbForm form = new TcbForm(maxBytes);
    MultipartParser parser = form.parser(boundary);
    try {
      parser.feed(ByteBuffer.wrap(body));
      parser.end();
    } catch (GatewayException e) {
      throw e;
    } catch (Exception e) {
      throw unreadable(e);
    }
    return form;
  }

  /** A parser feeding this form; its failures are for {@link #unreadable}. */
  public MultipartParser parser(String boundary) {
    try {
      return new MultipartParser(boundary, this);
    } catch (IllegalArgumentException e) {
      throw new GatewayException(
          GatewayException.INVALID_PARAM,
          "the Content-Type's multipart boundary is unusable (1-70 characters of RFC 2046)");
    }
  }

  /** A parse failure as the gateway's refusal. */
  public static GatewayException unreadable(Exception e) {
    if (e instanceof GatewayException g) {
      return g;
    }
    String why = e instanceof MultipartException ? e.getMessage() : String.valueOf(e);
    return new GatewayException(
        GatewayException.INVALID_PARAM, "the multipart form could not be read: " + why);
  }

  @Override
  public void partBegin(PartHeaders headers) {
    String disposition = headers.get("content-disposition").orElse(null);
    name = ContentDisposition.parseName(disposition).orElse(null);
    if (name == null) {
      throw new GatewayException(
          GatewayException.INVALID_PARAM, "a form part has no Content-Disposition name");
    }
    if (fields.containsKey(name)) {
      throw new GatewayException(
          GatewayException.INVALID_PARAM, "the form has two fields named \"" + clip(name) + "\"");
    }
    file = headers.get("content-type").isPresent()
        || ContentDisposition.parseFilename(disposition).isPresent();
    current = new ByteArrayOutputStream();
  }

  @Override
  public void partData(ByteBuffer data) {
    total += data.remaining();
    if (total > maxBytes) {
      throw tooLarge(maxBytes);
    }
    if (current != null) {
      byte[] bytes = new byte[data.remaining()];
      data.duplicate().get(bytes);
      current.writeBytes(bytes);
    }
  }

  @Override
  public void partEnd() {
    if (current != null) {
      fields.put(name, current.toByteArray());
      binary.put(name, file);
      current = null;
    }
  }

  /** The refusal of a request over {@code maxBytes}. */
  public static GatewayException tooLarge(long maxBytes) {
    return new GatewayException(
        GatewayException.INVALID_PARAM,
        "the request is over " + maxBytes + " bytes, the most tempmedia's /tcb/admin reads;"
            + " nothing was stored");
  }

  /** Every field, in the order received. */
  public Map<String, byte[]> fields() {
    return Collections.unmodifiableMap(fields);
  }

  /** Whether a field was sent as a file part (a Buffer: its bytes are signed untrimmed). */
  public boolean isFile(String field) {
    return binary.getOrDefault(field, false);
  }

  public Optional<byte[]> bytes(String field) {
    return Optional.ofNullable(fields.get(field));
  }

  /** A text field, or empty when absent or empty. */
  public Optional<String> text(String field) {
    byte[] b = fields.get(field);
    return b == null || b.length == 0
        ? Optional.empty()
        : Optional.of(new String(b, StandardCharsets.UTF_8));
  }

  static String clip(String s) {
    return s.length() > 64 ? s.substring(0, 64) + "…" : s;
  }
}
