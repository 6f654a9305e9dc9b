package dev.tempmedia.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tempmedia.media.multipart.Boundary;
import dev.tempmedia.media.multipart.MultipartException;
import dev.tempmedia.media.multipart.MultipartParser;
import dev.tempmedia.media.multipart.ParserInternals;

/**
 * The upload parser against bodies it has never seen, cut as a network might cut them.
 *
 * <ul>
 *   <li>It fails only with {@link MultipartException}: the listener here throws nothing, so any
 *       other exception out of feed or end is a bug.
 *   <li>It never sets aside more than its header limit, and never moves the buffers it reads.
 *   <li>No part's bytes contain the delimiter: a part ends at the first one.
 *   <li>How a body is cut into chunks changes nothing: the same parts, bytes and refusal as when it
 *       comes in one piece.
 *   <li>A well-formed body gives back exactly the parts it was built from.
 * </ul>
 *
 * The boundary comes through {@link Boundary#of}, as in the upload route, so whatever it accepts the
 * parser must accept too.
 */
class MultipartParserFuzzTest {

  @FuzzTest(maxDuration = "40s")
  void anyBodyIsReadOrRefusedTheSameWhateverItsChunks(FuzzedDataProvider data) throws Exception {
    String boundary =
        Boundary.of("multipart/form-data; boundary=" + data.consumeString(72)).orElse("b0undary");
    Chunking chunking = Chunking.from(data);
    if (data.consumeBoolean()) {
      WellFormedBody body = WellFormedBody.from(boundary, data);
      ParseRecord.Outcome outcome = parse(boundary, body.bytes(), chunking);
      if (body.expected().refusal() != null) {
        assertThat(outcome.refusal()).contains(WellFormedBody.HEADERS_TOO_LONG);
        assertThat(outcome.parts()).isEqualTo(body.expected().parts());
        assertThat(outcome.open()).isNull();
      } else {
        assertThat(outcome).isEqualTo(body.expected());
      }
    } else {
      byte[] body = data.consumeRemainingAsBytes();
      ParseRecord.Outcome chunked = parse(boundary, body, chunking);
      assertThat(chunked).isEqualTo(parse(boundary, body, Chunking.WHOLE));
    }
  }

  private static ParseRecord.Outcome parse(String boundary, byte[] body, Chunking chunking)
      throws Exception {
    byte[] delimiter = Bytes.delimiter(boundary);
    ParseRecord record = new ParseRecord();
    MultipartParser parser = new MultipartParser(boundary, record);
    String refusal = null;
    try {
      chunking.feed(body, delimiter, chunk -> {
        int position = chunk.position();
        int limit = chunk.limit();
        parser.feed(chunk);
        // Plain checks rather than assertions here: they run for every chunk of every input.
        if (chunk.position() != position || chunk.limit() != limit) {
          throw new AssertionError(
              "feed moved the buffer: " + position + ".." + limit + " became " + chunk);
        }
        if (ParserInternals.heldHeaderBytes(parser) > ParserInternals.MAX_HEADER_BYTES) {
          throw new AssertionError(
              "holds " + ParserInternals.heldHeaderBytes(parser) + " bytes of headers");
        }
      });
      parser.end();
      assertThat(parser.finished()).isTrue();
    } catch (MultipartException e) {
      refusal = e.getMessage();
    }
    ParseRecord.Outcome outcome = record.outcome(refusal);
    assertThat(outcome.allParts()).hasSizeLessThanOrEqualTo(ParserInternals.MAX_PARTS);
    for (ParseRecord.Part part : outcome.allParts()) {
      assertThat(Bytes.indexOf(part.bytes(), delimiter))
          .as("delimiter inside a part")
          .isEqualTo(-1);
    }
    return outcome;
  }
}
