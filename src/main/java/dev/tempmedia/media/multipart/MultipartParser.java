package dev.tempmedia.media.multipart;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A push parser for multipart/form-data (RFC 7578 over RFC 2046) that hands each part's bytes on as
 * slices of the buffers it is fed: no copy, no buffering beyond one part's header block, so a 20 MB
 * file costs the same memory as a 20 byte one.
 *
 * <p>Written here rather than taken from Netty (which Vert.x uses) because uploads need what that
 * decoder hides: the raw part headers (HttpClient 5's double-encoded {@code filename*} can only be
 * repaired from them), refusal at the first byte over a limit, and a parser small enough to fuzz.
 *
 * <p>The delimiter is {@code CRLF "--" boundary}; a body is read as if it began with CRLF, so the
 * first boundary needs no special case. Because a boundary has no CR, a partial match can only
 * restart at a CR, and a failed match is plain data: no backtracking buffer is needed.
 */
public final class MultipartParser {
  /** Receives the parts in order. Exceptions it throws stop the parse and reach the caller of feed. */
  public interface Listener {
    void partBegin(PartHeaders headers) throws Exception;

    /** A slice of the part's bytes, valid only during the call. */
    void partData(ByteBuffer data) throws Exception;

    void partEnd() throws Exception;
  }

  static final int MAX_HEADER_BYTES = 16 * 1024;
  static final int MAX_PARTS = 64;

  private enum State {
    PREAMBLE,
    AFTER_DELIMITER,
    HEADERS,
    BODY,
    EPILOGUE
  }

  private final byte[] delimiter;
  /** Horspool's shift per byte value: how far the search window may move when that byte ends it. */
  private final int[] skip = new int[256];

  private final Listener listener;
  private State state = State.PREAMBLE;
  /** Delimiter bytes matched so far; they are not passed on until the match fails. */
  private int matched = 2;

  private int afterDelimiter;
  private byte[] headerBlock = new byte[256];
  private int headerLength;
  private int parts;

  public MultipartParser(String boundary, Listener listener) {
    if (!Boundary.valid(boundary)) {
      throw new IllegalArgumentException("unusable boundary");
    }
    this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.US_ASCII);
    this.listener = listener;
    java.util.Arrays.fill(skip, delimiter.length);
    for (int k = 0; k < delimiter.length - 1; k++) {
      skip[delimiter[k] & 0xFF] = delimiter.length - 1 - k;
    }
  }

  /** Parses the remaining bytes of {@code chunk} without moving its position. */
  public void feed(ByteBuffer chunk) throws Exception {
    int p = chunk.position();
    int limit = chunk.limit();
    while (p < limit) {
      switch (state) {
        case PREAMBLE, BODY -> p = scanForDelimiter(chunk, p, limit);
        case AFTER_DELIMITER -> p = afterDelimiter(chunk.get(p), p);
        case HEADERS -> p = header(chunk.get(p), p);
        case EPILOGUE -> p = limit;
      }
    }
  }

  /** The body ended; throws when it ended before the closing delimiter. */
  public void end() throws MultipartException {
    if (state != State.EPILOGUE) {
      throw new MultipartException(
          switch (state) {
            case PREAMBLE -> "the body has no line with the boundary given in Content-Type";
            case HEADERS, AFTER_DELIMITER -> "the body ended inside a part's headers";
            default -> "the body ended before the closing boundary (was the upload cut off?)";
          });
    }
  }

  public boolean finished() {
    return state == State.EPILOGUE;
  }

  // ---- the body scan ---------------------------------------------------------------------------

  private int scanForDelimiter(ByteBuffer chunk, int from, int limit) throws Exception {
    int dataStart = from;
    int matchStart = -1;
    // Delimiter bytes matched in earlier chunks: held back, and passed on only if the match fails.
    int carried = matched;
    int p = from;
    if (matched == 0) {
      // The fast path: Horspool's skip search over the whole delimiters this chunk can hold,
      // reading about one byte in delimiter.length. Only the chunk's tail, where a delimiter may
      // begin but not end, needs the byte-by-byte match below.
      int found = horspool(chunk, from, limit);
      if (found >= 0) {
        return delimiterFound(chunk, dataStart, found);
      }
      p = Math.max(from, limit - delimiter.length + 1);
    }
    while (p < limit) {
      byte c = chunk.get(p);
      if (matched == 0) {
        if (c == '\r') {
          matched = 1;
          matchStart = p;
        }
        p++;
        continue;
      }
      if (c == delimiter[matched]) {
        matched++;
        p++;
        if (matched == delimiter.length) {
          if (state == State.BODY) {
            pass(chunk, dataStart, matchStart >= 0 ? matchStart : dataStart);
            listener.partEnd();
          }
          matched = 0;
          state = State.AFTER_DELIMITER;
          afterDelimiter = 0;
          return p;
        }
        continue;
      }
      // The match failed: the bytes it held were data after all. Those of this chunk are still in
      // the run from dataStart; those of earlier chunks are the delimiter's first bytes.
      if (carried > 0 && state == State.BODY) {
        listener.partData(ByteBuffer.wrap(delimiter, 0, carried));
      }
      carried = 0;
      matched = 0;
      matchStart = -1;
      // c is examined again: it may be the CR that starts the real delimiter. Back to the skip
      // search while whole delimiters still fit.
      if (p < limit - delimiter.length + 1) {
        int found = horspool(chunk, p, limit);
        if (found >= 0) {
          return delimiterFound(chunk, dataStart, found);
        }
        p = limit - delimiter.length + 1;
      }
    }
    // End of the chunk: a pending match stays back for the next one.
    pass(chunk, dataStart, matched == 0 ? limit : matchStart >= 0 ? matchStart : dataStart);
    return p;
  }

  /** Ends the current part (or the preamble) at a delimiter found whole at {@code at}. */
  private int delimiterFound(ByteBuffer chunk, int dataStart, int at) throws Exception {
    if (state == State.BODY) {
      pass(chunk, dataStart, at);
      listener.partEnd();
    }
    matched = 0;
    state = State.AFTER_DELIMITER;
    afterDelimiter = 0;
    return at + delimiter.length;
  }

  /** Where the first whole delimiter in [from, limit) begins, or -1. */
  private int horspool(ByteBuffer chunk, int from, int limit) {
    int last = delimiter.length - 1;
    byte lastByte = delimiter[last];
    int i = from + last;
    while (i < limit) {
      byte b = chunk.get(i);
      if (b == lastByte) {
        int k = last - 1;
        int j = i - 1;
        while (k >= 0 && chunk.get(j) == delimiter[k]) {
          k--;
          j--;
        }
        if (k < 0) {
          return i - last;
        }
      }
      i += skip[b & 0xFF];
    }
    return -1;
  }

  /** Passes on bytes [from, to) of the chunk as a part's data (the preamble is dropped). */
  private void pass(ByteBuffer chunk, int from, int to) throws Exception {
    if (state != State.BODY || to <= from) {
      return;
    }
    ByteBuffer slice = chunk.duplicate();
    slice.limit(to).position(from);
    listener.partData(slice);
  }

  // ---- between delimiter and headers -----------------------------------------------------------

  private int afterDelimiter(byte c, int p) throws MultipartException {
    switch (afterDelimiter) {
      case 0 -> {
        if (c == '-') {
          afterDelimiter = 1;
        } else if (c == '\r') {
          afterDelimiter = 3;
        } else if (c == ' ' || c == '\t') {
          afterDelimiter = 2;
        } else if (c == '\n') {
          startHeaders();
        } else {
          throw new MultipartException(
              "a boundary line is followed by text; is the boundary also inside the data?");
        }
      }
      case 1 -> {
        if (c != '-') {
          throw new MultipartException("a boundary line ends with a single '-'");
        }
        state = State.EPILOGUE;
      }
      case 2 -> {
        if (c == '\r') {
          afterDelimiter = 3;
        } else if (c == '\n') {
          startHeaders();
        } else if (c != ' ' && c != '\t') {
          throw new MultipartException("a boundary line is followed by text");
        }
      }
      case 3 -> {
        if (c != '\n') {
          throw new MultipartException("a boundary line ends with CR but no LF");
        }
        startHeaders();
      }
      default -> throw new IllegalStateException();
    }
    return p + 1;
  }

  private void startHeaders() throws MultipartException {
    if (++parts > MAX_PARTS) {
      throw new MultipartException("the body has more than " + MAX_PARTS + " parts");
    }
    state = State.HEADERS;
    headerLength = 0;
  }

  // ---- part headers ----------------------------------------------------------------------------

  private int header(byte c, int p) throws Exception {
    if (headerLength == MAX_HEADER_BYTES) {
      throw new MultipartException(
          "a part's headers are longer than " + MAX_HEADER_BYTES + " bytes");
    }
    if (headerLength == headerBlock.length) {
      headerBlock =
          java.util.Arrays.copyOf(headerBlock, Math.min(headerBlock.length * 2, MAX_HEADER_BYTES));
    }
    headerBlock[headerLength++] = c;
    if (c == '\n' && headerBlockEnded()) {
      listener.partBegin(parseHeaders());
      state = State.BODY;
      matched = 0;
    }
    return p + 1;
  }

  /** An empty line ends the block: CRLF CRLF, or lenient bare LFs; a part may have no headers at all. */
  private boolean headerBlockEnded() {
    int n = headerLength;
    if (n == 1 || (n == 2 && headerBlock[0] == '\r')) {
      return true;
    }
    if (n >= 2 && headerBlock[n - 2] == '\n') {
      return true;
    }
    return n >= 3 && headerBlock[n - 2] == '\r' && headerBlock[n - 3] == '\n';
  }

  /** Compiled once: String.split compiles a pattern of more than one character on every call. */
  private static final java.util.regex.Pattern LINE_BREAK =
      java.util.regex.Pattern.compile("\r?\n");

  private PartHeaders parseHeaders() throws MultipartException {
    String block = decode(headerBlock, headerLength);
    Map<String, String> fields = new HashMap<>();
    String lastName = null;
    for (String line : LINE_BREAK.split(block)) {
      if (line.isEmpty()) {
        continue;
      }
      if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && lastName != null) {
        fields.computeIfPresent(lastName, (k, v) -> v + " " + line.trim());
        continue;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new MultipartException("a part header line has no name: " + abbreviate(line));
      }
      lastName = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      fields.putIfAbsent(lastName, line.substring(colon + 1).trim());
    }
    String encoding = fields.get("content-transfer-encoding");
    if (encoding != null
        && !PartHeaders.IDENTITY_ENCODINGS.contains(encoding.toLowerCase(Locale.ROOT))) {
      throw new MultipartException("Content-Transfer-Encoding " + abbreviate(encoding)
          + " is not supported; send the bytes as they are (binary)");
    }
    return new PartHeaders(fields);
  }

  /** Raw UTF-8 is what browsers and most SDKs send; GB18030 is what older Chinese Windows tools send. */
  private static String decode(byte[] bytes, int length) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, 0, length))
          .toString();
    } catch (CharacterCodingException e) {
      CharBuffer chars = Charset.forName("GB18030").decode(ByteBuffer.wrap(bytes, 0, length));
      return chars.toString();
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 60 ? s : s.substring(0, 60) + "…";
  }
}
